import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../shared/labels';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, PROJECT } from '../helpers/library';

// `dam` as a scripting tool: through real pipes, into real shells, read by other programs.

const NOTES = 100; // enough assets for a --json search well over a pipe's 64 KB
const BROKEN = 7;

function dam(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DAM_CATALOG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs a shell pipeline, `$DAM` standing for the CLI; gives the pipeline's stdout and stderr. */
function pipeline(script: string) {
  const r = spawnSync('sh', ['-c', script.replaceAll('$DAM', '"$NODE_BIN" "$DAM_CLI"')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DAM_CATALOG: '', NODE_BIN: process.execPath, DAM_CLI: CLI },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts dam with its stdout a pipe whose reading end is closed before dam writes a byte. */
async function withClosedStdout(...args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DAM_CATALOG: '' },
  });
  child.stdout.destroy();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  return { code, err };
}

describe('dam in pipes and scripts', () => {
  let catalog: string;
  let root: string;
  const at = (name: string) => path.join(root, name);

  beforeAll(() => {
    catalog = tempDir('dam-cli-script-cat-');
    root = fs.realpathSync(tempDir('dam-cli-script-root-'));
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), at('Canon_40D.jpg'));
    fs.copyFileSync(cameraFile('jpg/Nikon_D70.jpg'), at('Nikon_D70.jpg'));
    for (let i = 1; i <= BROKEN; i++) fs.writeFileSync(at(`broken-${i}.jpg`), `not a JPEG, number ${i}\n`);
    fs.mkdirSync(at('notes'));
    for (let i = 0; i < NOTES; i++) fs.writeFileSync(at(`notes/note-${i}.txt`), `note ${i}\n`);
    expect(dam('--catalog', catalog, 'add-root', root).code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('names the files with errors after a scan: the first few, a count, all of them in --json', () => {
    const scan = dam('--catalog', catalog, 'scan');
    expect(scan.code, scan.err).toBe(0);
    expect(scan.out).toMatch(/, 7 with errors /);
    const lines = scan.out.trim().split('\n');
    const listed = lines.filter((l) => /broken-\d\.jpg: .*not a valid JPEG/.test(l));
    expect(listed).toHaveLength(5);
    expect(listed[0]).toContain(at('broken-1.jpg'));
    expect(lines.at(-1)).toMatch(/^ {2}… and 2 more \(dam search has:error\)$/);

    const json = JSON.parse(dam('--catalog', catalog, 'scan', '--json').out);
    // The documented keys stay, with the list beside them.
    expect(json).toMatchObject({ files: NOTES + 2 + BROKEN, errors: BROKEN });
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['files', 'new', 'changed', 'unchanged', 'missing', 'errors', 'seconds']),
    );
    expect(json.problems).toHaveLength(BROKEN);
    expect(json.problems[0]).toEqual({
      path: at('broken-1.jpg'),
      reason: expect.stringMatching(/not a valid JPEG/),
    });
  });

  it('delivers all of a --json search through a pipe, well over 64 KB', () => {
    const r = pipeline(`$DAM --catalog "${catalog}" search "" --json --limit 1000 | cat`);
    expect(r.code, r.err).toBe(0);
    expect(r.out.length).toBeGreaterThan(100 * 1024);
    expect(JSON.parse(r.out).items).toHaveLength(NOTES + 2 + BROKEN);
  });

  it('ends quietly when the reader goes away (| head), as ls does', async () => {
    const head = pipeline(`$DAM --catalog "${catalog}" search "" --json --limit 1000 | head -c 100`);
    expect(head.out).toHaveLength(100);
    expect(head.err).toBe('');
    for (const args of [
      ['search', ''],
      ['search', '', '--json', '--limit', '1000'],
      ['show', at('Canon_40D.jpg')],
      ['stats'],
    ]) {
      const r = await withClosedStdout('--catalog', catalog, ...args);
      expect([args.join(' '), r.err]).toEqual([args.join(' '), '']);
      expect(r.code).toBe(0);
    }
  });

  it('shows the camera once, as the UI does', () => {
    const canon = dam('--catalog', catalog, 'show', at('Canon_40D.jpg'));
    expect(canon.out).toMatch(/^camera +Canon EOS 40D$/m);
    const nikon = dam('--catalog', catalog, 'show', at('Nikon_D70.jpg'));
    expect(nikon.out).toMatch(/^camera +NIKON D70$/m);
  });

  it('shows label and flag in text as --json has them', () => {
    const file = at('Canon_40D.jpg');
    expect(dam('--catalog', catalog, 'set', file, 'label=purple', 'flag=pick').code).toBe(0);
    const text = dam('--catalog', catalog, 'show', file).out;
    expect(text).toMatch(/^label +purple$/m);
    expect(text).toMatch(/^flag +pick$/m);
    expect(JSON.parse(dam('--catalog', catalog, 'show', file, '--json').out)).toMatchObject({
      label: 'purple',
      flag: 'pick',
    });
  });

  it('takes the colour labels the README and the UI offer, and names them when refusing one', () => {
    const readme = fs.readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
    const documented = /`label`\s+\(([^)]*)\)/.exec(readme)?.[1];
    expect(documented?.match(/[a-z]+/g)).toEqual([...LABELS]);
    const bad = dam('--catalog', catalog, 'set', at('Nikon_D70.jpg'), 'label=pink');
    expect(bad.code).toBe(1);
    expect(bad.err.trim()).toBe(`dam: label: expects ${LABELS.join(', ')} (got "pink")`);
  });

  it('refuses an unknown filter, suggesting the nearest known one', () => {
    const typo = dam('--catalog', catalog, 'search', 'camra:canon');
    expect(typo.code).toBe(1);
    expect(typo.err.trim()).toBe('dam: unknown filter camra: — did you mean camera:?');
    const none = dam('--catalog', catalog, 'search', 'foo:bar');
    expect(none.code).toBe(1);
    expect(none.err.trim()).toMatch(/^dam: unknown filter foo: \(/);
    // Quoted, it is text to search for.
    expect(dam('--catalog', catalog, 'search', '"foo:bar"').code).toBe(0);
  });
});
