import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { knownPhoto } from '../helpers/known-photos';
import { CLI, waitFor } from '../helpers/library';

const N = 10;
const GUARD = path.join(__dirname, '..', 'helpers', 'no-network.cjs');

function dam(catalog: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

// dam tag as a user runs it: a process of its own, its models loaded from the npm package.
describe('dam tag (a process of its own)', () => {
  let root: string;
  let catalog: string;

  beforeAll(async () => {
    root = tempDir('dam-tag-cli-root-');
    catalog = tempDir('dam-tag-cli-cat-');
    // Distinct pictures of the same scene (sizes and crops differ): each one is real work.
    const src = sharp(knownPhoto('astronaut.png'));
    for (let i = 0; i < N; i++)
      await src
        .clone()
        .extract({ left: i * 8, top: i * 4, width: 400, height: 420 })
        .jpeg({ quality: 80 + i })
        .toFile(path.join(root, `shot-${String(i).padStart(2, '0')}.jpg`));
    expect(dam(catalog, ['add-root', root]).status).toBe(0);
    expect(dam(catalog, ['scan']).status).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(catalog, { recursive: true, force: true });
  });

  it('killed (kill -9) mid-run and run again, tags every picture once; nothing reaches the network', async () => {
    const db = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true });
    // One row per asset (each analyser records its own run).
    const runs = () =>
      db
        .prepare(`SELECT asset_id, max(at) AS at FROM tagging_runs GROUP BY asset_id ORDER BY asset_id`)
        .all() as {
        asset_id: number;
        at: number;
      }[];
    const child = spawn(process.execPath, [CLI, '--catalog', catalog, 'tag'], { stdio: 'ignore' });
    let atKill: { asset_id: number; at: number }[] = [];
    try {
      await waitFor(() => runs().length >= 2, 120_000, 'some pictures tagged');
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    atKill = runs();
    expect(atKill.length).toBeGreaterThanOrEqual(2);
    expect(atKill.length).toBeLessThan(N); // killed mid-way, not after the end
    db.close();

    // The second run, with every network access refused and written down, in its workers too.
    const log = path.join(catalog, 'network.log');
    const again = dam(catalog, ['tag', '--json'], {
      NODE_OPTIONS: `--require ${GUARD}`,
      NO_NETWORK_LOG: log,
    });
    expect(again.status, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as Record<string, unknown>;
    expect(report, JSON.stringify({ report, atKill })).toMatchObject({
      backend: 'wasm',
      tagged: N - atKill.length,
      failed: 0,
      pending: 0,
    });
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(lines).toContain('guard:main');
    expect(lines).toContain('guard:worker');
    expect(lines.filter((l) => l.startsWith('refused:'))).toEqual([]);

    const check = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true });
    const after = check
      .prepare(`SELECT asset_id, max(at) AS at FROM tagging_runs GROUP BY asset_id ORDER BY asset_id`)
      .all() as {
      asset_id: number;
      at: number;
    }[];
    expect(after.length).toBe(N);
    // Those tagged before the kill were not tagged again.
    for (const r of atKill) expect(after.find((a) => a.asset_id === r.asset_id)!.at).toBe(r.at);
    expect(check.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
    expect(
      check.prepare(`SELECT count(DISTINCT asset_id) FROM tagging_runs WHERE error IS NULL`).pluck().get(),
    ).toBe(N);
    // The crops show the astronaut: most of them are proposed "person" (a tight crop may fall below the threshold).
    expect(
      check.prepare(`SELECT count(DISTINCT asset_id) FROM auto_tags WHERE label = 'person'`).pluck().get(),
    ).toBeGreaterThanOrEqual(N / 2);
    check.close();
    // Nothing owed: a third run has nothing to do.
    expect(JSON.parse(dam(catalog, ['tag', '--json']).stdout)).toMatchObject({ owed: 0, tagged: 0 });
  });
});
