import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quadrantJpeg } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { CLI } from '../helpers/library';
import { startServe } from '../helpers/serve';

// The README says the app and the CLI share the default catalogue: two real processes on one
// catalogue file, each claiming jobs from the same table.
const N = 300;
/** Left running only if a test failed (a hang): ended with it, never outliving the suite. */
const children = new Set<ReturnType<typeof spawn>>();

function run(
  catalog: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--catalog', catalog, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Distinct bytes per file (a trailing counter after the JPEG's end), so each one is real work. */
async function makeRoot(dir: string, n: number): Promise<void> {
  const jpg = await quadrantJpeg(320, 240);
  for (let i = 0; i < n; i++)
    fs.writeFileSync(
      path.join(dir, `img-${String(i).padStart(4, '0')}.jpg`),
      Buffer.concat([jpg, Buffer.from(`#${i}`)]),
    );
}

/**
 * A log kept by the catalogue itself of every stored reading: a trigger added to the shared file,
 * so that "each file processed once" is checked across both processes.
 */
function instrument(catalog: string): void {
  const db = new Database(path.join(catalog, 'catalog.sqlite'));
  db.exec(`
    CREATE TABLE test_readings (file_id INTEGER NOT NULL) STRICT;
    CREATE TRIGGER test_reading AFTER UPDATE OF processed_at ON files WHEN new.processed_at IS NOT NULL
    BEGIN INSERT INTO test_readings VALUES (new.id); END;`);
  db.close();
}

function expectAllProcessedOnce(catalog: string): void {
  const db = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true });
  try {
    expect(db.prepare(`SELECT count(*) FROM files`).pluck().get()).toBe(N);
    expect(db.prepare(`SELECT count(*) FROM assets`).pluck().get()).toBe(N);
    expect(db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
    expect(
      db
        .prepare(
          `SELECT count(*) FROM files WHERE processed_at IS NULL OR content_hash IS NULL OR thumb IS NULL`,
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(db.prepare(`SELECT count(DISTINCT file_id) FROM test_readings`).pluck().get()).toBe(N);
    expect(
      db.prepare(`SELECT file_id, count(*) AS n FROM test_readings GROUP BY file_id HAVING n > 1`).all(),
    ).toEqual([]);
  } finally {
    db.close();
  }
}

describe('two processes on one catalogue', () => {
  const dirs: string[] = [];
  let root: string;
  beforeAll(async () => {
    root = tempDir('dam-two-root-');
    dirs.push(root);
    await makeRoot(root, N);
  });
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function freshCatalog(): string {
    const catalog = tempDir('dam-two-cat-');
    dirs.push(catalog);
    const added = spawnSync(process.execPath, [CLI, '--catalog', catalog, 'add-root', root], {
      encoding: 'utf8',
    });
    expect(added.status, added.stderr).toBe(0);
    instrument(catalog);
    return catalog;
  }

  it('two dam scan started together both finish, and every file is processed exactly once', async () => {
    const catalog = freshCatalog();
    const [a, b] = await Promise.all([run(catalog, 'scan', '--json'), run(catalog, 'scan', '--json')]);
    for (const r of [a, b]) {
      expect(r.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ files: N, missing: 0, errors: 0 });
    }
    expectAllProcessedOnce(catalog);
  });

  it('dam serve and a dam scan started beside it both carry on; serve stays up', async () => {
    const catalog = freshCatalog();
    const serve = await startServe(catalog);
    try {
      const scan = await run(catalog, 'scan', '--json');
      expect(scan.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
      expect(scan.code, scan.stderr).toBe(0);
      expect(JSON.parse(scan.stdout)).toMatchObject({ files: N, missing: 0, errors: 0 });
      // The server still answers, from the same catalogue.
      const u = new URL(serve.url);
      const res = await fetch(`${u.origin}/api/stats`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${u.searchParams.get('token')}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain(`"files":${N}`);
      expect(serve.server.exitCode).toBe(null);
    } finally {
      await serve.stop();
    }
    expect(serve.server.exitCode).toBe(0);
    expectAllProcessedOnce(catalog);
  });
});
