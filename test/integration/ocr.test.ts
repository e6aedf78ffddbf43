import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import { TEXT_MODEL_VERSION, TEXT_SKIPPED_VERSION } from '../../electron/core/tagging/text';
import { tempDir } from '../helpers/corpus';
import { knownPhoto } from '../helpers/known-photos';
import { CLI, freshLibrary } from '../helpers/library';
import { bigWord, noisyPoster, screenCapture } from '../helpers/text-pictures';

const GUARD = path.join(__dirname, '..', 'helpers', 'no-network.cjs');

function dam(catalog: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
  });
}

// Text in pictures through the real tagging job: the real models, tesseract.js, one catalogue.
describe('text recognition (OCR) on the tagging job', () => {
  let root: string;
  let ctx: ReturnType<typeof freshLibrary>;
  const idOf = (name: string) => ctx.lib.findAsset(path.join(root, name))!.id;
  const runOf = (name: string) =>
    ctx.lib.db
      .prepare(
        `SELECT model_version AS version, error, at FROM tagging_runs WHERE asset_id = ? AND analyser = 'text'`,
      )
      .get(idOf(name)) as { version: string; error: string | null; at: number } | undefined;
  const names = (q: string) =>
    ctx.lib
      .search(q, { limit: 100 })
      .items.map((a) => a.name)
      .sort();

  beforeAll(async () => {
    root = tempDir('dam-ocr-root-');
    await bigWord(path.join(root, 'window.png'), 'SALE');
    await noisyPoster(path.join(root, 'street.jpg'), ['Grand Opening', 'Coffee 3 Euro']);
    // A real photograph of a book page (uneven light, a curved page): python3-skimage's page.png.
    fs.copyFileSync(knownPhoto('page.png'), path.join(root, 'book.png'));
    fs.copyFileSync(knownPhoto('coffee.png'), path.join(root, 'coffee.png'));
    await screenCapture(path.join(root, 'capture.png'), 1280, 720, [
      'Backup settings',
      'Restore archive now',
    ]);
    await screenCapture(path.join(root, 'Screenshot 2024-05-01.png'), 900, 600, []);
    ctx = freshLibrary();
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    ctx.lib.tagging.runInBackground();
    await ctx.lib.tagging.whenIdle();
  });
  afterAll(async () => {
    await ctx?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads the words of rendered text, a grainy turned poster and a photographed page, and finds them with text:', () => {
    expect(ctx.lib.tagging.ocrMode).toBe('auto');
    expect(ctx.lib.tagging.textOf(idOf('window.png'))).toBe('SALE');
    expect(ctx.lib.tagging.textOf(idOf('street.jpg'))).toMatch(/Grand Opening\s+Coffee 3 Euro/);
    const page = ctx.lib.tagging.textOf(idOf('book.png'))!;
    for (const w of ['segmentation', 'markers', 'coins', 'background']) expect(page).toContain(w);
    expect(ctx.lib.tagging.textOf(idOf('capture.png'))).toMatch(/Backup settings\s+Restore archive now/);
    expect(names('text:sale')).toEqual(['window.png']);
    expect(names('text:opening')).toEqual(['street.jpg']);
    expect(names('text:markers')).toEqual(['book.png']);
    expect(names('text:"restore archive"')).toEqual(['capture.png']);
  });

  it('runs only where a rule says text is likely (ocr auto), and says which rule fired', () => {
    expect(ctx.lib.tagging.ocrReport()).toEqual({
      mode: 'auto',
      read: 5,
      skipped: 1,
      failed: 0,
      rules: { strokes: 3, screenshot: 1, name: 1 },
    });
    // The coffee photo: looked at (done for auto), not read.
    expect(runOf('coffee.png')).toMatchObject({ version: TEXT_SKIPPED_VERSION, error: null });
    expect(ctx.lib.tagging.textOf(idOf('coffee.png'))).toBeNull();
    // Named like a screenshot but blank: read, and nothing found.
    expect(runOf('Screenshot 2024-05-01.png')).toMatchObject({ version: TEXT_MODEL_VERSION, error: null });
    expect(ctx.lib.tagging.textOf(idOf('Screenshot 2024-05-01.png'))).toBeNull();
  });

  it('proposes its surest words as text auto-tags with their boxes, and show --json gains text', () => {
    const sale = ctx.lib.tagging.tagsOf(idOf('window.png')).filter((t) => t.kind === 'text');
    expect(sale).toHaveLength(1);
    expect(sale[0]).toMatchObject({ label: 'SALE', state: 'proposed', model: 'tesseract' });
    expect(sale[0]!.confidence).toBeGreaterThan(0.75);
    // Drawn from x 100 of 1200 px, baseline at 450 of 800.
    expect(sale[0]!.box!.x).toBeCloseTo(100 / 1200, 1);
    expect(sale[0]!.box!.y + sale[0]!.box!.h).toBeCloseTo(450 / 800, 1);
    const street = ctx.lib.tagging.tagsOf(idOf('street.jpg')).filter((t) => t.kind === 'text');
    expect(street.map((t) => t.label)).toEqual(expect.arrayContaining(['Grand', 'Opening', 'Coffee']));

    const shown = dam(ctx.dir, ['show', path.join(root, 'window.png'), '--json']);
    expect(shown.status, shown.stderr).toBe(0);
    const json = JSON.parse(shown.stdout) as {
      text: string | null;
      autoTags: { kind: string; label: string }[];
    };
    expect(json.text).toBe('SALE');
    expect(json.autoTags).toContainEqual(expect.objectContaining({ kind: 'text', label: 'SALE' }));
    const coffee = JSON.parse(dam(ctx.dir, ['show', path.join(root, 'coffee.png'), '--json']).stdout) as {
      text: string | null;
    };
    expect(coffee.text).toBeNull();
  });

  it('ocr all reads what auto skipped (and only runs text recognition again); off owes nothing', async () => {
    const handlers = createHandlers(ctx.lib);
    const bad = await dispatch(handlers, 'tagging.settings', { ocr: 'sometimes' } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const objectsAt = () =>
      ctx.lib.db.prepare(`SELECT sum(at) FROM tagging_runs WHERE analyser <> 'text'`).pluck().get() as number;
    const before = objectsAt();
    const readAt = runOf('window.png')!.at;
    const res = await dispatch(handlers, 'tagging.settings', { ocr: 'all' });
    expect(res).toMatchObject({ ok: true, value: { ocr: 'all' } });
    await ctx.lib.tagging.whenIdle();
    expect(runOf('coffee.png')).toMatchObject({ version: TEXT_MODEL_VERSION, error: null });
    expect(ctx.lib.tagging.ocrReport().rules.all).toBe(1);
    // What was read already is not read again; the other analysers did not run again.
    expect(runOf('window.png')!.at).toBe(readAt);
    expect(objectsAt()).toBe(before);

    expect(ctx.lib.tagging.configure({ ocr: 'off' }).ocr).toBe('off');
    ctx.lib.db.prepare(`DELETE FROM tagging_runs WHERE analyser = 'text'`).run();
    expect(ctx.lib.tagging.owe()).toBe(0);
    // The text already read stays searchable.
    expect(names('text:sale')).toEqual(['window.png']);
    ctx.lib.tagging.configure({ ocr: 'auto' });
  });

  it('dam config ocr takes off, auto or all, and refuses anything else in one line', () => {
    const bad = dam(ctx.dir, ['config', 'ocr', 'maybe']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('dam: ocr is off, auto (where text is likely) or all (got "maybe")');
    const json = JSON.parse(dam(ctx.dir, ['config', '--json']).stdout) as { ocr: string };
    expect(json.ocr).toBe('auto');
  });
});

describe('text recognition never reaches the network', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('dam-ocr-net-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the guard catches tesseract.js when it is left to fetch its language data (control)', () => {
    const log = path.join(dir, 'control.log');
    // Its start never settles once the fetch failed: the error handler ends the process.
    const script = `require('tesseract.js').createWorker('eng', 1, {
      cacheMethod: 'none', errorHandler() { process.exit(0); } }).then(() => process.exit(3))`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${GUARD}`, NO_NETWORK_LOG: log },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    // tesseract.js's own worker thread ran under the guard and was refused the CDN.
    expect(lines).toContain('guard:worker');
    expect(lines.find((l) => l.startsWith('refused:'))).toMatch(/jsdelivr|eng\.traineddata/);
  });

  it('dam tag with ocr all reads a word with every outbound connection refused, and writes no cache', async () => {
    const root = path.join(dir, 'root');
    const catalog = path.join(dir, 'cat');
    const cwd = path.join(dir, 'cwd');
    for (const d of [root, catalog, cwd]) fs.mkdirSync(d);
    await bigWord(path.join(root, 'sign.png'), 'HARBOUR');
    expect(dam(catalog, ['add-root', root]).status).toBe(0);
    expect(dam(catalog, ['scan']).status).toBe(0);
    expect(dam(catalog, ['config', 'ocr', 'all']).status).toBe(0);
    const log = path.join(dir, 'tag.log');
    const r = dam(catalog, ['tag', '--json'], {
      cwd,
      env: { NODE_OPTIONS: `--require ${GUARD}`, NO_NETWORK_LOG: log },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      tagged: 1,
      failed: 0,
      ocr: { mode: 'all', read: 1, rules: { all: 1 } },
    });
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(lines).toContain('guard:main');
    // The tagging worker and tesseract's worker inside it.
    expect(lines.filter((l) => l === 'guard:worker').length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l.startsWith('refused:'))).toEqual([]);
    expect(JSON.parse(dam(catalog, ['show', path.join(root, 'sign.png'), '--json']).stdout)).toMatchObject({
      text: 'HARBOUR',
    });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
