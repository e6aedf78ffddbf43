import fs from 'node:fs';
import path from 'node:path';
import { openCatalog } from '../../electron/core/catalog/open';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/catalog/migrations';
import { SORT_KEY_SQL } from '../../electron/core/catalog/asset-search.repository';
import { CACHE } from './fixtures';

/** Deterministic, so every run measures the same catalogue and the same queries. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CAMERAS: [string, string][] = [
  ['Canon', 'Canon EOS 5D Mark IV'],
  ['Canon', 'Canon EOS 40D'],
  ['Canon', 'Canon EOS R5'],
  ['NIKON CORPORATION', 'NIKON D850'],
  ['NIKON CORPORATION', 'NIKON Z 6'],
  ['SONY', 'ILCE-7M3'],
  ['FUJIFILM', 'X-T4'],
  ['Apple', 'iPhone 13 Pro'],
  ['OLYMPUS', 'E-M1MarkII'],
  ['Panasonic', 'DC-GH5'],
  ['Google', 'Pixel 7'],
  ['Leica', 'Q2'],
];
export const WORDS = (
  'bus dusk portrait wedding draft client studio street night beach mountain city river bridge market festival ' +
  'concert family kids dog cat flowers garden forest snow rain sunset sunrise food product fashion model interior ' +
  'architecture car bike train airport harbour boat museum church castle party birthday graduation team office ' +
  'event launch press editorial campaign catalogue lookbook packshot headshot landscape aerial drone travel ' +
  'paris london tokyo berlin madrid lisbon oslo rome vienna prague approved final retouch selects hero banner'
).split(' ');
const LENSES = [
  'EF24-70mm f/2.8L II USM',
  'RF50mm F1.2 L USM',
  'NIKKOR Z 24-70mm f/4 S',
  'FE 85mm F1.8',
  'XF23mmF1.4 R',
  null,
];
const TYPES: [string, string, string][] = [
  ['image', 'jpeg', 'jpg'],
  ['image', 'jpeg', 'jpg'],
  ['image', 'jpeg', 'jpg'],
  ['image', 'heic', 'heic'],
  ['image', 'png', 'png'],
  ['image', 'tiff', 'tif'],
  ['raw', 'raw', 'cr3'],
  ['raw', 'raw', 'nef'],
  ['video', 'video', 'mp4'],
  ['design', 'psd', 'psd'],
];

export function syntheticCatalog(count: number, log: (s: string) => void, name = 'catalog'): string {
  const dir = path.join(CACHE, `${name}-${count}-schema${LATEST_SCHEMA_VERSION}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  log(`building a synthetic catalogue of ${count.toLocaleString()} assets (once; cached in ${dir})…`);
  const db = openCatalog(dir, { create: true });
  const rand = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  db.prepare(
    `INSERT INTO roots (id, path, name, kind, added_at) VALUES (1, '/archive', 'Archive', 'local', 0)`,
  ).run();
  const insAsset = db.prepare(`INSERT INTO assets (id, type, created_at) VALUES (?, ?, 0)`);
  const insFile = db.prepare(
    `INSERT INTO files (id, asset_id, root_id, rel_path, folder, name, ext, format, size, mtime_ms, content_hash, processed_at, first_seen)
     VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 0, ?, 1, 0)`,
  );
  const insMeta = db.prepare(
    `INSERT INTO file_metadata (file_id, capture_date, capture_ts, make, model, lens, width, height, title, description, keywords, creator, rating)
     VALUES (?, ?, ?, ?, ?, ?, 6000, 4000, ?, ?, ?, ?, ?)`,
  );
  const start = Date.UTC(2005, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  const batch = 50_000;
  for (let from = 1; from <= count; from += batch) {
    db.transaction(() => {
      for (let id = from; id < Math.min(from + batch, count + 1); id++) {
        const [type, format, ext] = pick(TYPES);
        const [make, model] = pick(CAMERAS);
        const dated = rand() > 0.03;
        const ts = dated ? start + Math.floor(rand() * span) : null;
        const d = ts == null ? null : new Date(ts);
        const event = `${pick(WORDS)} ${pick(WORDS)}`;
        const folder = d
          ? `${d.getUTCFullYear()}/${d.toISOString().slice(0, 10)} ${event}`
          : `unsorted/${event}`;
        const name = `${pick(['IMG_', 'DSC_', '_MG_', 'DSCF', 'P'])}${String(id % 10000).padStart(4, '0')}.${ext}`;
        const kw = [pick(WORDS), pick(WORDS), pick(WORDS)].slice(0, 1 + Math.floor(rand() * 3));
        insAsset.run(id, type);
        insFile.run(
          id,
          id,
          `${folder}/${name}`,
          folder,
          name,
          ext,
          format,
          1_000_000 + Math.floor(rand() * 30_000_000),
          `h${id}`,
        );
        insMeta.run(
          id,
          d ? d.toISOString().slice(0, 19) : null,
          ts,
          make,
          model,
          pick(LENSES),
          rand() < 0.3 ? `${pick(WORDS)} ${pick(WORDS)}` : null,
          rand() < 0.2 ? `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}` : null,
          JSON.stringify(kw),
          pick(['Ana Ruiz', 'Ben Okafor', 'Chen Wei', 'North Studio', null]),
          rand() < 0.5 ? null : Math.floor(rand() * 6),
        );
      }
    })();
  }
  log('  indexing…');
  db.exec(`
    INSERT INTO asset_search (asset_id, sort_key, file_id, root_id, type, state, folder, name, ext, size, capture_ts, make, model, rating, has_error)
      SELECT a.id, CASE WHEN m.capture_ts IS NULL THEN a.id ELSE ${SORT_KEY_SQL('m.capture_ts')} | (a.id & 524287) END,
             f.id, f.root_id, a.type, f.state, f.folder, f.name, f.ext, f.size, m.capture_ts, m.make, m.model, m.rating, 0
        FROM assets a JOIN files f ON f.asset_id = a.id JOIN file_metadata m ON m.file_id = f.id;
    INSERT INTO asset_fts (rowid, name, folder, title, description, keywords, creator, camera, lens, date)
      SELECT s.sort_key, f.name, f.folder, coalesce(m.title, ''), coalesce(m.description, ''),
             (SELECT group_concat(value, ' ; ') FROM json_each(m.keywords)), coalesce(m.creator, ''),
             m.make || ' ' || m.model, coalesce(m.lens, ''),
             CASE WHEN m.capture_ts IS NULL THEN '' ELSE strftime('%Y', m.capture_ts / 1000, 'unixepoch') END
        FROM asset_search s JOIN files f ON f.id = s.file_id JOIN file_metadata m ON m.file_id = f.id;
    INSERT INTO asset_fts (asset_fts) VALUES ('optimize');
    CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, asset_fts, 'row');
    INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.vocab;
    ANALYZE;
  `);
  db.close();
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/** What people type: single words, half-typed words, cameras, years, filters and combinations. */
export function typedQueries(n: number): string[] {
  const rand = rng(7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const templates: (() => string)[] = [
    () => pick(WORDS),
    () => pick(WORDS).slice(0, 2 + Math.floor(rand() * 3)),
    () =>
      `${pick(['canon', 'nikon', 'sony', 'fujifilm', 'iphone', 'leica'])} ${2005 + Math.floor(rand() * 21)}`,
    () => `camera:"${pick(CAMERAS)[1].replace(/^(Canon|NIKON) /, '')}"`,
    () => `type:${pick(['video', 'raw', 'design', 'image'])}`,
    () => `${pick(WORDS)} -keyword:${pick(WORDS)}`,
    () => `keyword:${pick(WORDS)} type:${pick(['image', 'raw'])}`,
    () => `date:${2005 + Math.floor(rand() * 21)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}`,
    () => `rating:>=${3 + Math.floor(rand() * 3)} ${pick(WORDS)}`,
    () => `"${pick(WORDS)} ${pick(WORDS)}"`,
    () => `${pick(WORDS)} ${pick(WORDS)}`,
    () => `creator:"${pick(['Ana Ruiz', 'Ben Okafor', 'Chen Wei'])}" date:${2010 + Math.floor(rand() * 15)}`,
  ];
  return Array.from({ length: n }, (_, i) => templates[i % templates.length]!());
}
