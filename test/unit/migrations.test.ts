import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CatalogError,
  catalogPath,
  migrate,
  openCatalog,
  schemaVersion,
} from '../../electron/core/catalog/open';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../electron/core/catalog/migrations';
import { APPROVAL_STATES, CHANGE_SOURCES } from '../../shared/governance';
import { COLOR_FAMILIES } from '../../shared/colors';
import { ASSET_TYPES } from '../../shared/model';
import { STACK_REASONS } from '../../shared/versions';
import { ENDPOINT_TYPES, PUBLICATION_STATES } from '../../shared/publishing';
import { ROLES } from '../../shared/accounts';
import { DOWNLOAD_LEVELS, SHARE_EVENT_KINDS } from '../../shared/sharing';
import { CROP_ASPECTS } from '../../shared/crops';
import { insertAssetWithFile } from '../helpers/catalog-rows';
import { tempDir } from '../helpers/corpus';

const dirs: string[] = [];
function freshDir(): string {
  const d = tempDir('dam-migrate-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('catalog migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('holds each vocabulary as its TypeScript list says: the CHECKs are generated from it', () => {
    const db = openCatalog(freshDir(), { create: true });
    const check = (table: string, column: string) => {
      const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(table) as string;
      const m = new RegExp(`${column}\\s+TEXT\\s+NOT NULL CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(sql);
      return m ? m[1]!.split(',').map((v) => v.trim().replace(/^'|'$/g, '')) : null;
    };
    expect(check('approvals', 'state')).toEqual([...APPROVAL_STATES]);
    expect(check('change_log', 'source')).toEqual([...CHANGE_SOURCES]);
    expect(check('stack_members', 'reason')).toEqual([...STACK_REASONS]);
    expect(check('assets', 'type')).toEqual([...ASSET_TYPES]);
    expect(check('asset_colors', 'family')).toEqual([...COLOR_FAMILIES]);
    expect(check('publications', 'state')).toEqual([...PUBLICATION_STATES]);
    expect(check('endpoints', 'type')).toEqual([...ENDPOINT_TYPES]);
    expect(check('users', 'role')).toEqual([...ROLES]);
    expect(check('shares', 'download')).toEqual([...DOWNLOAD_LEVELS]);
    expect(check('share_events', 'kind')).toEqual([...SHARE_EVENT_KINDS]);
    expect(check('asset_crops', 'aspect')).toEqual([...CROP_ASPECTS]);
    db.close();
  });

  it('refuses to open a missing catalog unless asked to create it', () => {
    const dir = freshDir();
    expect(() => openCatalog(path.join(dir, 'nope'))).toThrow(/no catalog at/);
    const db = openCatalog(path.join(dir, 'new'), { create: true });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('opens in WAL mode with foreign keys on, and every table is STRICT', () => {
    const db = openCatalog(freshDir(), { create: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'asset_fts%' AND name NOT LIKE 'file_text_fts%' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables)
      expect(t.sql, t.name).toMatch(/\)\s*(STRICT(,\s*WITHOUT ROWID)?|WITHOUT ROWID,\s*STRICT)\s*$/);
    db.close();
  });

  // One test per migration: apply everything before it, add rows, apply it, and check the rows survive.
  for (const m of MIGRATIONS) {
    it(`migration ${m.version} (${m.name}) applies on top of ${m.version - 1} and keeps existing data`, () => {
      const db = new Database(catalogPath(freshDir()));
      db.pragma('foreign_keys = ON');
      migrate(db, false, m.version - 1);
      expect(schemaVersion(db)).toBe(m.version - 1);
      migrate(db, false, m.version);
      expect(schemaVersion(db)).toBe(m.version);
      if (m.version === 1) {
        db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
        db.prepare(`INSERT INTO assets (type, created_at) VALUES ('image', 0)`).run();
        db.prepare(
          `INSERT INTO files (asset_id, root_id, rel_path, folder, name, ext, format, size, mtime_ms, first_seen)
           VALUES (1, 1, 'a.jpg', '', 'a.jpg', 'jpg', 'jpeg', 1, 0, 0)`,
        ).run();
        // STRICT and CHECK constraints reject bad data instead of storing it.
        expect(() => db.prepare(`INSERT INTO assets (type, created_at) VALUES ('bogus', 0)`).run()).toThrow();
        expect(() =>
          db.prepare(`INSERT INTO assets (type, created_at) VALUES ('image', 'soon')`).run(),
        ).toThrow();
        // Foreign keys hold.
        expect(() =>
          db
            .prepare(
              `INSERT INTO files (asset_id, root_id, rel_path, folder, name, ext, format, size, mtime_ms, first_seen)
             VALUES (99, 1, 'b.jpg', '', 'b.jpg', 'jpg', 'jpeg', 1, 0, 0)`,
            )
            .run(),
        ).toThrow(/FOREIGN KEY/);
      }
      migrate(db);
      expect(db.prepare(`SELECT count(*) FROM roots`).pluck().get()).toBeGreaterThanOrEqual(
        m.version === 1 ? 1 : 0,
      );
      db.close();
    });
  }

  it('governance (3) keeps earlier edits, seeds its settings, and makes the approval log append-only', () => {
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 2);
    db.prepare(`INSERT INTO assets (type, created_at) VALUES ('image', 0)`).run();
    db.prepare(
      `INSERT INTO asset_edits (asset_id, title, keywords, updated_at) VALUES (1, 'Bus', '["a"]', 0)`,
    ).run();
    migrate(db, false, 3);
    expect(db.prepare(`SELECT title FROM asset_edits WHERE asset_id = 1`).pluck().get()).toBe('Bus');
    const settings = Object.fromEntries(
      (db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    );
    expect(settings).toMatchObject({ 'sidecar-naming': 'photo.xmp', 'require-rights-for-approval': '1' });
    expect(settings['catalog-id']).toMatch(/^[0-9a-f]{12}$/);
    db.prepare(
      `INSERT INTO approval_log (uid, asset_id, from_state, to_state, actor, machine, at) VALUES ('u1', 1, 'draft', 'in-review', 'ann', 'm', 0)`,
    ).run();
    expect(() => db.prepare(`UPDATE approval_log SET actor = 'eve'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM approval_log`).run()).toThrow(/append-only/);
    // The audit trail outlives its asset.
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM approval_log`).pluck().get()).toBe(1);
    db.prepare(`INSERT INTO assets (id, type, created_at) VALUES (2, 'image', 0)`).run();
    expect(() =>
      db
        .prepare(`INSERT INTO asset_rights (asset_id, license_end, updated_at) VALUES (2, '31/01/2027', 0)`)
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('version stacks (4) keeps existing assets, checks reasons, and dissolves with the assets it holds', () => {
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 3);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: false });
    migrate(db, false, 4);
    expect(db.prepare(`SELECT count(*) FROM assets`).pluck().get()).toBe(2);
    db.prepare(`INSERT INTO stacks (id, current_asset_id, created_at) VALUES (1, 2, 0)`).run();
    const member = db.prepare(
      `INSERT INTO stack_members (asset_id, stack_id, position, reason, added_at) VALUES (?, ?, ?, ?, 0)`,
    );
    member.run(1, 1, 1, 'name');
    member.run(2, 1, 2, 'pixels');
    // Reasons are the contract's, and members belong to a real stack.
    db.prepare(`INSERT INTO assets (id, type, created_at) VALUES (3, 'image', 0)`).run();
    expect(() => member.run(3, 1, 3, 'guess')).toThrow(/CHECK/);
    expect(() => member.run(3, 99, 3, 'manual')).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare(`INSERT INTO stacks (current_asset_id, created_at) VALUES (42, 0)`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(
      `INSERT INTO file_pixels (file_id, dhash, width, height, band0, band1, band2, band3, band4)
       VALUES (1, -5, 512, 384, 1, 2, 3, 4, 5)`,
    ).run();
    expect(db.prepare(`SELECT dhash FROM file_pixels`).pluck().get()).toBe(-5);
    // A member whose asset goes leaves the stack; the stack goes with its current asset.
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT asset_id FROM stack_members`).pluck().all()).toEqual([2]);
    expect(db.prepare(`SELECT count(*) FROM file_pixels`).pluck().get()).toBe(0);
    db.prepare(`DELETE FROM assets WHERE id = 2`).run();
    expect(db.prepare(`SELECT count(*) FROM stacks`).pluck().get()).toBe(0);
    db.close();
  });

  it('content history (5) needs nothing of version stacks (4), marks governed assets and owes their copies', () => {
    const m5 = MIGRATIONS.find((m) => m.name === 'content-history')!;
    expect(m5.version).toBe(5);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    // Straight on top of governance (3): 0004 may land before or after it.
    migrate(db, false, 3);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    // Asset 1 has rights already; asset 2 is not governed.
    db.prepare(`INSERT INTO asset_rights (asset_id, credit, updated_at) VALUES (1, 'North', 0)`).run();
    db.transaction(() => db.exec(m5.sql))();
    expect(db.prepare(`SELECT asset_id FROM history_governed`).pluck().all()).toEqual([1]);
    expect(db.prepare(`SELECT kind, file_id, state FROM jobs`).all()).toEqual([
      { kind: 'snapshot', file_id: 1, state: 'queued' },
    ]);
    const settings = Object.fromEntries(
      (db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    );
    expect(settings).toMatchObject({ 'history-limit-mb': '10240', 'history-scope': 'governed' });
    const hash = 'a'.repeat(64);
    const snap = db.prepare(
      `INSERT INTO content_snapshots (asset_id, file_id, hash, size, format, at, actor, machine, reason, state)
       VALUES (1, 1, ?, 1, 'jpeg', 0, 'ann', 'm', ?, ?)`,
    );
    snap.run(hash, 'governed', 'stored');
    expect(() => snap.run('b'.repeat(64), 'because', 'stored')).toThrow(/CHECK/);
    expect(() => snap.run('short', 'governed', 'stored')).toThrow(/CHECK/);
    expect(() => snap.run(hash, 'governed', 'stored')).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(`INSERT INTO history_blobs (hash, size, stored_at, last_used) VALUES (?, 'big', 0, 0)`)
        .run(hash),
    ).toThrow();
    db.prepare(
      `INSERT INTO content_log (asset_id, event, hash, actor, machine, at) VALUES (1, 'changed', ?, 'ann', 'm', 0)`,
    ).run(hash);
    expect(() => db.prepare(`UPDATE content_log SET actor = 'eve'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM content_log`).run()).toThrow(/append-only/);
    // Snapshots go with their asset; the log of what happened to it stays.
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM content_snapshots`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM content_log`).pluck().get()).toBe(1);
    db.close();
  });

  it('one job table (6) keeps owed work, moves owed sidecar writes in, and drops jobs with their subject', () => {
    const m6 = MIGRATIONS.find((m) => m.name === 'one-job-table')!;
    expect(m6.version).toBe(6);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 5);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: false });
    const job = db.prepare(
      `INSERT INTO jobs (kind, file_id, state, attempts, run_after, last_error, created_at) VALUES (?, ?, ?, ?, 0, ?, 7)`,
    );
    // A process killed mid-run left its job 'running'; a copy is backing off after a failure.
    job.run('process', 1, 'running', 0, null);
    job.run('snapshot', 2, 'queued', 2, 'EIO');
    db.prepare(`INSERT INTO sidecar_pending (asset_id, since) VALUES (2, 9)`).run();
    db.transaction(() => db.exec(m6.sql))();
    expect(
      db
        .prepare(
          `SELECT kind, subject_type, subject, state, attempts, last_error, owner FROM jobs ORDER BY id`,
        )
        .all(),
    ).toEqual([
      {
        kind: 'process',
        subject_type: 'file',
        subject: 1,
        state: 'queued',
        attempts: 0,
        last_error: null,
        owner: null,
      },
      {
        kind: 'snapshot',
        subject_type: 'file',
        subject: 2,
        state: 'queued',
        attempts: 2,
        last_error: 'EIO',
        owner: null,
      },
      {
        kind: 'sidecar',
        subject_type: 'asset',
        subject: 2,
        state: 'queued',
        attempts: 0,
        last_error: null,
        owner: null,
      },
    ]);
    expect(
      db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'sidecar_pending'`).pluck().get(),
    ).toBe(0);
    // One job per kind and subject; states are the runner's.
    expect(() =>
      db
        .prepare(
          `INSERT INTO jobs (kind, subject_type, subject, created_at) VALUES ('process', 'file', 1, 0)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE jobs SET state = 'lost' WHERE subject = 1`).run()).toThrow(/CHECK/);
    // A file's jobs go with the file; an asset's with the asset (the file id 2 is not asset 2's job).
    db.prepare(`DELETE FROM files WHERE id = 1`).run();
    expect(db.prepare(`SELECT kind, subject FROM jobs ORDER BY id`).all()).toEqual([
      { kind: 'snapshot', subject: 2 },
      { kind: 'sidecar', subject: 2 },
    ]);
    db.prepare(`DELETE FROM files WHERE id = 2`).run();
    expect(db.prepare(`SELECT kind FROM jobs`).pluck().all()).toEqual(['sidecar']);
    db.prepare(`DELETE FROM assets WHERE id = 2`).run();
    expect(db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
    db.close();
  });

  it('more types and facts (7) widens the asset types in place: every row and reference kept, nothing cascaded', () => {
    const m7 = MIGRATIONS.find((m) => m.name === 'more-types-and-facts')!;
    expect(m7.version).toBe(7);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 6);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2, 3]) insertAssetWithFile(db, id, { search: true });
    db.prepare(`INSERT INTO file_metadata (file_id, title) VALUES (1, 'kept')`).run();
    db.prepare(`INSERT INTO stacks (id, current_asset_id, created_at) VALUES (1, 1, 0)`).run();
    db.prepare(
      `INSERT INTO stack_members (asset_id, stack_id, position, reason, added_at) VALUES (1, 1, 0, 'name', 0), (2, 1, 1, 'name', 0)`,
    ).run();
    db.prepare(
      `INSERT INTO jobs (kind, subject_type, subject, created_at) VALUES ('sidecar', 'asset', 3, 0)`,
    ).run();
    expect(() => db.prepare(`UPDATE assets SET type = 'audio' WHERE id = 3`).run()).toThrow(/CHECK/);
    migrate(db, false, 7);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);

    expect(db.prepare(`SELECT id, type FROM assets ORDER BY id`).all()).toEqual([
      { id: 1, type: 'image' },
      { id: 2, type: 'image' },
      { id: 3, type: 'image' },
    ]);
    expect(db.prepare(`SELECT count(*) FROM files`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT count(*) FROM asset_search`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT count(*) FROM stack_members`).pluck().get()).toBe(2);
    expect(db.prepare(`SELECT title, facts FROM file_metadata`).get()).toEqual({
      title: 'kept',
      facts: '{}',
    });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Every reference still names the rebuilt table, none the old one.
    const schema = db.prepare(`SELECT group_concat(sql, ';') FROM sqlite_master`).pluck().get() as string;
    expect(schema).not.toMatch(/assets_v6/);
    expect(schema).toMatch(/asset_id\s+INTEGER NOT NULL REFERENCES assets \(id\)/);

    db.prepare(`UPDATE assets SET type = 'audio' WHERE id = 3`).run();
    db.prepare(`UPDATE assets SET type = '3d' WHERE id = 2`).run();
    expect(() => db.prepare(`UPDATE assets SET type = 'song' WHERE id = 3`).run()).toThrow(/CHECK/);
    // Deleting an asset still takes its files, its stack membership and its jobs with it.
    db.prepare(`DELETE FROM assets WHERE id = 3`).run();
    expect(db.prepare(`SELECT count(*) FROM files WHERE asset_id = 3`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0);
    db.prepare(`DELETE FROM assets WHERE id = 2`).run();
    expect(db.prepare(`SELECT asset_id FROM stack_members`).pluck().all()).toEqual([1]);
    db.close();
  });

  it('asset colours (8) keeps a palette per asset, refuses what is not a colour, and goes with its asset', () => {
    const m8 = MIGRATIONS.find((m) => m.name === 'asset-colors')!;
    expect(m8.version).toBe(8);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m8.version - 1);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    insertAssetWithFile(db, 1, { search: true });
    migrate(db, false, m8.version);
    const add = db.prepare(
      `INSERT INTO asset_colors (asset_id, rank, hex, name, family, share, l, a, b) VALUES (1, ?, ?, 'x', ?, ?, 50, 0, 0)`,
    );
    add.run(0, '#3366cc', 'blue', 0.7);
    expect(() => add.run(1, '#3366CC', 'blue', 0.1)).toThrow(/CHECK/);
    expect(() => add.run(1, '#3366cc', 'azure', 0.1)).toThrow(/CHECK/);
    expect(() => add.run(1, '#3366cc', 'blue', 0)).toThrow(/CHECK/);
    expect(() => add.run(0, '#3366cc', 'blue', 0.1)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM asset_colors`).pluck().get()).toBe(0);
    db.close();
  });

  it('collections (9) keep sibling names unique in any case, and go with their parent and their assets', () => {
    const m9 = MIGRATIONS.find((m) => m.name === 'collections')!;
    expect(m9.version).toBe(9);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 9);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    const add = db.prepare(`INSERT INTO collections (id, name, parent_id, created_at) VALUES (?, ?, ?, 0)`);
    add.run(1, 'Acme', null);
    add.run(2, 'Spring', 1);
    add.run(3, 'Spring', null); // the same name elsewhere in the tree is fine
    expect(() => add.run(4, 'acme', null)).toThrow(/UNIQUE/);
    expect(() => add.run(5, 'SPRING', 1)).toThrow(/UNIQUE/);
    expect(() => add.run(6, '  ', null)).toThrow(/CHECK/);
    const member = db.prepare(
      `INSERT INTO collection_assets (collection_id, asset_id, added_at) VALUES (?, ?, 0)`,
    );
    member.run(2, 1);
    member.run(2, 2);
    member.run(3, 2);
    db.prepare(`DELETE FROM assets WHERE id = 2`).run();
    expect(db.prepare(`SELECT collection_id, asset_id FROM collection_assets`).all()).toEqual([
      { collection_id: 2, asset_id: 1 },
    ]);
    db.prepare(`DELETE FROM collections WHERE id = 1`).run();
    expect(db.prepare(`SELECT id FROM collections`).pluck().all()).toEqual([3]);
    expect(db.prepare(`SELECT count(*) FROM collection_assets`).pluck().get()).toBe(0);
    db.close();
  });

  it('people (10) adds faces and people: boxes, 4096-byte descriptors, sources checked; faces go with their asset', () => {
    const m = MIGRATIONS.find((m) => m.name === 'people')!;
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m.version - 1);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    migrate(db, false, m.version);
    expect(db.prepare(`SELECT count(*) FROM assets`).pluck().get()).toBe(2);
    db.prepare(
      `INSERT INTO people (id, name, created_at) VALUES (1, 'Ana', 0), (2, NULL, 0), (3, NULL, 0)`,
    ).run();
    // One name, one person (whatever the case); unnamed clusters are many.
    expect(() => db.prepare(`INSERT INTO people (name, created_at) VALUES ('ana', 0)`).run()).toThrow(
      /UNIQUE/,
    );
    const face = db.prepare(
      `INSERT INTO faces (asset_id, file_id, x, y, w, h, source, descriptor, person_id, created_at)
       VALUES (?, ?, 0.1, 0.1, 0.2, 0.2, ?, ?, ?, 0)`,
    );
    face.run(1, 1, 'detected', Buffer.alloc(4096), 1);
    face.run(2, 2, 'xmp', null, 1);
    expect(() => face.run(1, 1, 'guessed', null, null)).toThrow(/CHECK/);
    expect(() => face.run(1, 1, 'detected', Buffer.alloc(100), null)).toThrow(/CHECK/);
    expect(() => face.run(1, 1, 'detected', null, 99)).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT asset_id FROM faces`).pluck().all()).toEqual([2]);
    // A person that goes leaves its faces unclustered, not deleted.
    db.prepare(`DELETE FROM people WHERE id = 1`).run();
    expect(db.prepare(`SELECT person_id FROM faces`).pluck().all()).toEqual([null]);
    db.close();
  });

  it('file text (11) indexes the words of a file per source, follows edits, and goes with the file', () => {
    const m8 = MIGRATIONS.find((m) => m.name === 'file-text')!;
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m8.version - 1);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    migrate(db, false, m8.version);
    const add = db.prepare(`INSERT INTO file_text (file_id, source, text) VALUES (?, ?, ?)`);
    add.run(1, 'document', 'The spring sale starts now');
    add.run(2, 'ocr', 'SPRING SALE on a poster');
    expect(() => add.run(1, 'document', 'twice')).toThrow(/UNIQUE/);
    expect(() => add.run(1, 'guess', 'x')).toThrow(/CHECK/);
    expect(() => add.run(99, 'document', 'x')).toThrow(/FOREIGN KEY/);
    const match = (q: string) =>
      db
        .prepare(
          `SELECT t.file_id FROM file_text_fts JOIN file_text t ON t.id = file_text_fts.rowid WHERE file_text_fts MATCH ? ORDER BY 1`,
        )
        .pluck()
        .all(q);
    expect(match('"spring sale"')).toEqual([1, 2]);
    db.prepare(`UPDATE file_text SET text = 'autumn colours' WHERE file_id = 1`).run();
    expect(match('"spring sale"')).toEqual([2]);
    expect(match('autumn')).toEqual([1]);
    db.prepare(`DELETE FROM files WHERE id = 2`).run();
    expect(match('spring')).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM file_text`).pluck().get()).toBe(1);
    db.prepare(`INSERT INTO file_text_fts (file_text_fts) VALUES ('integrity-check')`).run();
    db.close();
  });

  it('publishing (12) adds endpoints and publications: one live copy per asset and endpoint, gone with either', () => {
    const m12 = MIGRATIONS.find((m) => m.name === 'publishing')!;
    expect(m12.version).toBe(12);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 11);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    migrate(db, false, 12);
    expect(db.prepare(`SELECT count(*) FROM assets`).pluck().get()).toBe(2);
    db.prepare(
      `INSERT INTO endpoints (id, name, type, url, channel, field_map, required, delivery, created_at)
       VALUES (1, 'site', 'wordpress', 'http://x', 'web', '{}', '[]', 'automatic', 0)`,
    ).run();
    const publish = db.prepare(
      `INSERT INTO publications (asset_id, endpoint_id, state, at, by) VALUES (?, 1, ?, 0, 'me')`,
    );
    publish.run(1, 'replaced');
    publish.run(1, 'published');
    expect(() => publish.run(1, 'pending')).toThrow(/UNIQUE/);
    publish.run(2, 'published');
    expect(() => publish.run(2, 'lost')).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO endpoints (name, type, url, channel, field_map, required, delivery, created_at)
           VALUES ('s3', 'ftp', 'x', 'web', '{}', '[]', 'automatic', 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(`DELETE FROM assets WHERE id = 2`).run();
    expect(db.prepare(`SELECT count(*) FROM publications`).pluck().get()).toBe(2);
    db.prepare(`DELETE FROM endpoints`).run();
    expect(db.prepare(`SELECT count(*) FROM publications`).pluck().get()).toBe(0);
    db.close();
  });

  it('auto-tags (13) adds tags, decisions and runs that go with their asset, and per-root tagging on by default', () => {
    const m13 = MIGRATIONS.find((m) => m.name === 'auto-tags')!;
    expect(m13.version).toBe(13);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 12);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    db.transaction(() => db.exec(m13.sql))();
    expect(db.prepare(`SELECT tagging FROM roots`).pluck().get()).toBe(1);
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'tagging'`).pluck().get()).toBe('on');
    const tag = db.prepare(
      `INSERT INTO auto_tags (asset_id, file_id, analyser, kind, label, confidence, box_x, box_y, box_w, box_h, model, model_version)
       VALUES (?, ?, 'objects', ?, 'bus', ?, ?, 0.1, 0.5, 0.5, 'centernet', '1')`,
    );
    tag.run(1, 1, 'object', 0.8, 0.1);
    // A box is whole or absent (a tag about the whole picture).
    expect(() => tag.run(2, 2, 'object', 0.6, null)).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO auto_tags (asset_id, file_id, analyser, kind, label, confidence, model, model_version)
       VALUES (2, 2, 'colours', 'color', 'red', 0.4, 'palette', '1')`,
    ).run();
    expect(() => tag.run(1, 1, 'smell', 0.5, 0.1)).toThrow(/CHECK/);
    expect(() => tag.run(1, 1, 'object', 1.5, 0.1)).toThrow(/CHECK/);
    expect(db.prepare(`SELECT state FROM auto_tags WHERE asset_id = 1`).pluck().get()).toBe('proposed');
    db.prepare(
      `INSERT INTO auto_tag_decisions (asset_id, kind, label, decision, at) VALUES (1, 'object', 'bus', 'rejected', 0)`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO auto_tag_decisions (asset_id, kind, label, decision, at) VALUES (2, 'object', 'bus', 'maybe', 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO tagging_runs (asset_id, analyser, model_version, content_hash, at) VALUES (1, 'objects', '1', NULL, 0)`,
    ).run();
    // Everything of an asset goes with it; the other asset's stay.
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    for (const t of ['auto_tags', 'auto_tag_decisions', 'tagging_runs'])
      expect(db.prepare(`SELECT count(*) FROM ${t} WHERE asset_id = 1`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM auto_tags`).pluck().get()).toBe(1);
    db.close();
  });

  it('accounts (14) adds users (one per name in any case, a role from the list, a password whole or absent), their collections and hashed sessions, gone with the user', () => {
    const m = MIGRATIONS.find((m) => m.name === 'accounts')!;
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m.version - 1);
    db.prepare(`INSERT INTO collections (id, name, created_at) VALUES (1, 'Acme', 0), (2, 'Other', 0)`).run();
    migrate(db, false, m.version);
    expect(db.prepare(`SELECT count(*) FROM collections`).pluck().get()).toBe(2);
    const user = db.prepare(
      `INSERT INTO users (id, name, role, password_hash, password_salt, password_params, created_at) VALUES (?, ?, ?, ?, ?, ?, 0)`,
    );
    const pw = [Buffer.alloc(32, 1), Buffer.alloc(16, 2), '{"N":32768,"r":8,"p":1,"keylen":32}'] as const;
    user.run(1, 'ana', 'viewer', ...pw);
    user.run(2, 'Bo', 'admin', null, null, null);
    expect(() => user.run(3, 'ANA', 'viewer', ...pw)).toThrow(/UNIQUE/);
    expect(() => user.run(4, 'cy', 'owner', ...pw)).toThrow(/CHECK/);
    expect(() => user.run(5, ' ', 'viewer', ...pw)).toThrow(/CHECK/);
    // A hash without its salt and parameters could never be verified.
    expect(() => user.run(6, 'dee', 'viewer', pw[0], null, null)).toThrow(/CHECK/);
    db.prepare(`INSERT INTO user_collections (user_id, collection_id) VALUES (1, 1), (1, 2)`).run();
    const session = db.prepare(
      `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, 0, 0, 1)`,
    );
    session.run(Buffer.alloc(32, 7), 1);
    session.run(Buffer.alloc(32, 8), 2);
    expect(() => session.run(Buffer.from('plain-session-id'), 1)).toThrow(/CHECK/);
    expect(() => session.run(Buffer.alloc(32, 9), 99)).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM collections WHERE id = 2`).run();
    expect(db.prepare(`SELECT collection_id FROM user_collections`).pluck().all()).toEqual([1]);
    db.prepare(`DELETE FROM users WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM user_collections`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT user_id FROM sessions`).pluck().all()).toEqual([2]);
    db.close();
  });

  it('sharing (15) adds share links, their events and upload links that go with what they name', () => {
    const m15 = MIGRATIONS.find((m) => m.name === 'sharing')!;
    expect(m15.version).toBe(15);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 14);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: true });
    db.prepare(`INSERT INTO collections (id, name, created_at) VALUES (1, 'Client', 0)`).run();
    db.transaction(() => db.exec(m15.sql))();
    const share = db.prepare(
      `INSERT INTO shares (token_hash, kind, collection_id, label, created_by, created_at, download, preset, channel)
       VALUES (?, ?, ?, 'x', 'me', 0, ?, 'web', ?)`,
    );
    share.run('h1', 'collection', 1, 'preview', 'partners');
    share.run('h2', 'selection', null, 'original', 'web');
    expect(() => share.run('h1', 'selection', null, 'none', 'web')).toThrow(/UNIQUE/);
    expect(() => share.run('h3', 'selection', null, 'everything', 'web')).toThrow(/CHECK/);
    expect(() => share.run('h4', 'selection', null, 'none', 'cinema')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO share_assets (share_id, asset_id, position) VALUES (2, 1, 0), (2, 2, 1)`).run();
    const event = db.prepare(`INSERT INTO share_events (share_id, kind, asset_id, at) VALUES (?, ?, ?, 0)`);
    event.run(2, 'download', 1);
    expect(() => event.run(2, 'print', 1)).toThrow(/CHECK/);
    // A deleted collection leaves its link pointing nowhere (shown as gone), not deleted.
    db.prepare(`DELETE FROM collections WHERE id = 1`).run();
    expect(db.prepare(`SELECT collection_id FROM shares WHERE id = 1`).pluck().get()).toBeNull();
    // A deleted asset leaves the selection; its counted download stays, without the asset.
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM share_assets`).pluck().get()).toBe(1);
    expect(db.prepare(`SELECT asset_id FROM share_events`).pluck().get()).toBeNull();
    db.prepare(
      `INSERT INTO upload_links (token_hash, root_id, folder, created_by, created_at, max_size) VALUES ('u1', 1, 'Inbox', 'me', 0, 100)`,
    ).run();
    db.prepare(
      `INSERT INTO uploads (key, link_id, name, size, uploader, created_at) VALUES ('k', 1, 'a.jpg', 10, 'Ana', 0)`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO upload_links (token_hash, root_id, folder, created_by, created_at, max_size) VALUES ('u2', 1, 'Inbox', 'me', 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // A root removed takes its portal links and their uploads with it.
    db.prepare(`DELETE FROM roots`).run();
    expect(db.prepare(`SELECT count(*) FROM uploads`).pluck().get()).toBe(0);
    db.close();
  });

  it('asset crops (16) keep one box per asset and aspect (or none, cleared), inside the picture, gone with the asset', () => {
    const m = MIGRATIONS.find((m) => m.name === 'asset-crops')!;
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m.version - 1);
    const assetId = 1;
    db.prepare(`INSERT INTO assets (id, type, created_at) VALUES (?, 'image', 0)`).run(assetId);
    migrate(db, false, m.version);
    const crop = db.prepare(
      `INSERT INTO asset_crops (asset_id, aspect, x, y, w, h, at) VALUES (?, ?, ?, ?, ?, ?, 1)`,
    );
    crop.run(assetId, '1:1', 0.1, 0, 0.5, 1);
    crop.run(assetId, 'free', null, null, null, null);
    expect(() => crop.run(assetId, '1:1', 0, 0, 1, 1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => crop.run(assetId, '3:2', 0, 0, 1, 1)).toThrow(/CHECK/);
    expect(() => crop.run(assetId, '4:5', 0.5, 0, 0.6, 1)).toThrow(/CHECK/);
    expect(() => crop.run(assetId, '4:5', 0, 0, null, 1)).toThrow(/CHECK/);
    expect(() => crop.run(assetId, '16:9', 0, 0, 'half', 1)).toThrow(/cannot store TEXT/);
    expect(() => crop.run(999, '16:9', 0, 0, 1, 1)).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM assets WHERE id = ?`).run(assetId);
    expect(db.prepare(`SELECT count(*) FROM asset_crops`).pluck().get()).toBe(0);
    db.close();
  });

  it('more endpoint types (17) widens the endpoint types in place: endpoints and their publications kept, nothing cascaded', () => {
    const m17 = MIGRATIONS.find((m) => m.name === 'more-endpoint-types')!;
    expect(m17.version).toBe(17);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, 16);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    insertAssetWithFile(db, 1, { search: true });
    db.prepare(
      `INSERT INTO endpoints (id, name, type, url, channel, field_map, required, delivery, created_at)
       VALUES (7, 'site', 'wordpress', 'http://x', 'web', '{"title":"{title}"}', '["altText"]', 'manual', 5)`,
    ).run();
    db.prepare(
      `INSERT INTO publications (asset_id, endpoint_id, remote_id, state, at, by) VALUES (1, 7, '42', 'published', 0, 'me')`,
    ).run();
    migrate(db, false, 17);
    expect(db.prepare(`SELECT * FROM endpoints`).get()).toMatchObject({
      id: 7,
      name: 'site',
      type: 'wordpress',
      field_map: '{"title":"{title}"}',
      required: '["altText"]',
      delivery: 'manual',
      created_at: 5,
      options: '{}',
    });
    expect(db.prepare(`SELECT remote_id FROM publications`).pluck().all()).toEqual(['42']);
    const add = db.prepare(
      `INSERT INTO endpoints (name, type, url, channel, field_map, required, delivery, created_at, options)
       VALUES (?, ?, 'http://y', 'web', '{}', '[]', 'automatic', 0, ?)`,
    );
    for (const type of ['s3', 'webdav', 'webhook']) add.run(type, type, '{"region":"eu-west-1"}');
    expect(() => add.run('ftp', 'ftp', '{}')).toThrow(/CHECK/);
    expect(() => add.run('bad', 's3', '[1]')).toThrow(/CHECK/);
    expect(() => add.run('worse', 's3', 'not json')).toThrow(/CHECK|JSON/);
    // The publications still follow the rebuilt table.
    db.prepare(`DELETE FROM endpoints WHERE id = 7`).run();
    expect(db.prepare(`SELECT count(*) FROM publications`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('directus endpoints (19) takes the directus type: endpoints, options and publications kept, nothing cascaded', () => {
    const m = MIGRATIONS.find((m) => m.name === 'directus-endpoints')!;
    expect(m.version).toBe(19);
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m.version - 1);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    insertAssetWithFile(db, 1, { search: true });
    db.prepare(
      `INSERT INTO endpoints (id, name, type, url, channel, field_map, required, delivery, created_at, options)
       VALUES (4, 'bucket', 's3', 'http://s/b', 'web', '{}', '[]', 'automatic', 3, '{"region":"eu-west-1"}')`,
    ).run();
    db.prepare(
      `INSERT INTO publications (asset_id, endpoint_id, remote_id, state, at, by) VALUES (1, 4, 'k.jpg', 'published', 0, 'me')`,
    ).run();
    migrate(db, false, m.version);
    expect(db.prepare(`SELECT * FROM endpoints`).get()).toMatchObject({
      id: 4,
      type: 's3',
      options: '{"region":"eu-west-1"}',
      created_at: 3,
    });
    expect(db.prepare(`SELECT remote_id FROM publications`).pluck().all()).toEqual(['k.jpg']);
    const add = db.prepare(
      `INSERT INTO endpoints (name, type, url, channel, field_map, required, delivery, created_at, options)
       VALUES (?, ?, 'http://y', 'web', '{}', '[]', 'automatic', 0, ?)`,
    );
    add.run('files', 'directus', '{"folder":"Web"}');
    expect(() => add.run('ftp', 'ftp', '{}')).toThrow(/CHECK/);
    expect(() => add.run('bad', 'directus', '[1]')).toThrow(/CHECK/);
    db.prepare(`DELETE FROM endpoints WHERE id = 4`).run();
    expect(db.prepare(`SELECT count(*) FROM publications`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('usage (18) records views and downloads of an asset with who, how and when, gone with the asset', () => {
    const m = MIGRATIONS.find((m) => m.name === 'usage')!;
    const db = new Database(catalogPath(freshDir()));
    db.pragma('foreign_keys = ON');
    migrate(db, false, m.version - 1);
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES ('/x', 'x', 'local', 0)`).run();
    for (const id of [1, 2]) insertAssetWithFile(db, id, { search: false });
    migrate(db, false, m.version);
    const use = db.prepare(
      `INSERT INTO usage_events (asset_id, kind, via, actor, at) VALUES (?, ?, ?, 'ana', 0)`,
    );
    use.run(1, 'view', 'app');
    use.run(1, 'download', 'export');
    use.run(2, 'download', 'export');
    expect(() => use.run(1, 'like', 'app')).toThrow(/CHECK/);
    expect(() => use.run(1, 'view', 'share')).toThrow(/CHECK/);
    expect(() => use.run(99, 'view', 'app')).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM assets WHERE id = 1`).run();
    expect(db.prepare(`SELECT asset_id FROM usage_events`).pluck().all()).toEqual([2]);
    db.close();
  });

  it('refuses a catalog written by a newer version, with a clear message, and leaves it untouched', () => {
    const dir = freshDir();
    openCatalog(dir, { create: true }).close();
    const raw = new Database(catalogPath(dir));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(catalogPath(dir));
    let err: unknown;
    try {
      openCatalog(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as Error).message).toMatch(/newer version of Tessera/);
    expect(fs.readFileSync(catalogPath(dir)).equals(before)).toBe(true);
  });

  it('reports a damaged catalog file instead of crashing', () => {
    const dir = freshDir();
    fs.writeFileSync(catalogPath(dir), 'this is not a database at all, just text'.repeat(200));
    expect(() => openCatalog(dir)).toThrow(/damaged/);
  });
});
