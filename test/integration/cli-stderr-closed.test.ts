// `dam` with its stderr gone (`dam … 2>&1 | head`, or a closed stderr): a real child process whose
// stderr pipe is closed before it writes a warning. It ends quietly, and stdout still gets everything.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { CLI } from '../helpers/library';

const env = { ...process.env, DAM_CATALOG: '' };

/** Runs dam with stderr a pipe whose reading end is closed at once; gives its stdout and exit code. */
async function withClosedStderr(...args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stderr.destroy();
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  return { code, out };
}

describe('dam with stderr closed', () => {
  let catalog: string;
  let root: string;

  beforeAll(async () => {
    catalog = tempDir('dam-cli-stderr-cat-');
    root = fs.realpathSync(tempDir('dam-cli-stderr-root-'));
    const jpg = await quadrantJpeg(32, 24);
    fs.writeFileSync(path.join(root, 'plain.jpg'), jpg);
    // Scan warns about each of these on stderr (names that are not UTF-8).
    for (let i = 0; i < 3; i++)
      fs.writeFileSync(
        Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from(`${i}.jpg`)]),
        jpg,
      );
    const add = spawnSync(process.execPath, [CLI, '--catalog', catalog, 'add-root', root], {
      env,
      encoding: 'utf8',
    });
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finishes the command, stdout whole, with its own exit code and no crash', async () => {
    const scan = await withClosedStderr('--catalog', catalog, 'scan', '--json');
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.out)).toMatchObject({ files: 1, errors: 3 });
    // An error message that cannot be shown still gives the command's exit code, not a crash's.
    const missing = await withClosedStderr('--catalog', catalog, 'show', '999999');
    expect(missing.out).toBe('');
    expect(missing.code).toBe(1);
  });

  it('ends quietly when stdout and stderr share a pipe whose reader went away (2>&1 | head)', () => {
    const r = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `"$NODE_BIN" "$DAM_CLI" --catalog "${catalog}" scan 2>&1 | head -c 10`],
      { encoding: 'utf8', env: { ...env, NODE_BIN: process.execPath, DAM_CLI: CLI } },
    );
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe('');
    // pipefail: dam's own status, 0 as for `ls | head`.
    expect(r.status).toBe(0);
  });
});
