import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, waitFor } from '../helpers/library';

const N = 300;

describe('a crash (kill -9) in the middle of a scan', () => {
  let root: string;
  let catalog: string;

  beforeAll(() => {
    root = tempDir('dam-crash-root-');
    catalog = tempDir('dam-crash-cat-');
    const jpg = fs.readFileSync(cameraFile('jpg/Canon_40D.jpg'));
    // Distinct bytes per file (a trailing counter after the JPEG's end), so each one is real work.
    for (let i = 0; i < N; i++) {
      fs.writeFileSync(
        path.join(root, `img-${String(i).padStart(4, '0')}.jpg`),
        Buffer.concat([jpg, Buffer.from(`#${i}`)]),
      );
    }
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(catalog, { recursive: true, force: true });
  });

  it('loses nothing and duplicates nothing when run again', async () => {
    expect(spawnSync(process.execPath, [CLI, '--catalog', catalog, 'add-root', root]).status).toBe(0);
    const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'scan'], { stdio: 'ignore' });
    const db = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
    const processed = () =>
      (db.prepare(`SELECT count(*) FROM files WHERE processed_at IS NOT NULL`).pluck().get() as number) || 0;
    try {
      await waitFor(() => processed() >= 20, 60_000, 'some files processed');
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const atKill = processed();
    const owed = db.prepare(`SELECT count(*) FROM jobs`).pluck().get() as number;
    expect(atKill).toBeGreaterThanOrEqual(20);
    expect(owed).toBeGreaterThan(0); // killed mid-way, not after the end
    db.close();

    const rerun = spawnSync(process.execPath, [CLI, '--catalog', catalog, 'scan', '--json'], {
      encoding: 'utf8',
    });
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ files: N, new: 0, missing: 0, errors: 0 });

    const check = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true });
    expect(check.prepare(`SELECT count(*) FROM files`).pluck().get()).toBe(N);
    expect(check.prepare(`SELECT count(*) FROM assets`).pluck().get()).toBe(N);
    expect(check.prepare(`SELECT count(*) FROM asset_search`).pluck().get()).toBe(N);
    expect(check.prepare(`SELECT count(*) FROM asset_fts`).pluck().get()).toBe(N);
    expect(check.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
    expect(
      check
        .prepare(
          `SELECT count(*) FROM files WHERE processed_at IS NULL OR content_hash IS NULL OR thumb IS NULL`,
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(check.prepare(`SELECT count(DISTINCT content_hash) FROM files`).pluck().get()).toBe(N);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    // Half-written thumbnails from the killed run are cleared away, and every stored one is whole.
    const tmp = path.join(catalog, 'thumbs', '.tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });
});
