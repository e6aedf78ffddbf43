// The readMetadata checks shared by the default suite (generated camera-like files,
// test/unit/metadata.test.ts) and the corpus suite (test/corpus/metadata-corpus.test.ts): the
// same checks, on whichever file set the caller passes.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { emptyMetadata, type FileMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { attempt, compare, exiftool, expectedFrom, type Outcome, type Rec } from './metadata-oracle';

export interface ExiftoolSet {
  /** Paths are reported relative to this. */
  root: string;
  /** The set must hold at least this many files (a wrong folder reads as "too few"). */
  minFiles: number;
  /** Every file must have an exiftool record (the generated files); else files without one are passed over. */
  everyFileInExiftool: boolean;
  /** Known cases where exiftool reads something our fields rightly do not, keyed "relpath field". */
  allowed?: Map<string, string>;
}

/**
 * Registers, in the calling describe(), readMetadata against exiftool over `files`. Returns the
 * map of our outcomes by path, filled in beforeAll, for the caller's spot checks.
 */
export function metadataAgainstExiftool(files: string[], set: ExiftoolSet): Map<string, Outcome> {
  const allowed = set.allowed ?? new Map<string, string>();
  const rel = (f: string) => path.relative(set.root, f);
  let et: Map<string, Rec>;
  const ours = new Map<string, Outcome>();

  beforeAll(async () => {
    et = exiftool(files);
    for (const f of files) ours.set(f, await attempt({ path: f, buffer: fs.readFileSync(f) }));
  });

  it('finds the files where the helper says they are', () => {
    expect(files.length).toBeGreaterThanOrEqual(set.minFiles);
  });

  it('reads every file without an error', () => {
    const failed = [...ours].filter(([, o]) => !o.ok).map(([f, o]) => `${rel(f)}: ${o.ok ? '' : o.error}`);
    expect(failed).toEqual([]);
  });

  it('agrees with exiftool field by field', () => {
    const mismatches: string[] = [];
    const allowedSeen: string[] = [];
    for (const f of files) {
      const o = ours.get(f)!;
      const rec = et.get(f);
      if (set.everyFileInExiftool) expect(rec, f).toBeDefined();
      if (!o.ok || !rec) continue;
      for (const d of compare(o.meta, expectedFrom(rec))) {
        const key = `${rel(f)} ${d.split(':')[0]!}`;
        if (allowed.has(key)) allowedSeen.push(key);
        else mismatches.push(`${rel(f)}: ${d}`);
      }
    }
    expect(mismatches).toEqual([]);
    // An allow-list entry that no longer matches anything is stale and must go.
    expect(new Set(allowedSeen)).toEqual(new Set(allowed.keys()));
  });

  it('reads the same from a path (chunked) as from a buffer', async () => {
    const differ: string[] = [];
    for (const f of files) {
      const fromPath = await attempt({ path: f });
      if (JSON.stringify(fromPath) !== JSON.stringify(ours.get(f))) differ.push(rel(f));
    }
    expect(differ).toEqual([]);
  });

  return ours;
}

/** Every broken file, from a buffer and from a path: a result with every field, or a MetadataError with a message. */
export async function expectReadOrCleanError(files: string[]): Promise<void> {
  for (const f of files) {
    for (const input of [{ path: f, buffer: fs.readFileSync(f) }, { path: f }]) {
      const o = await attempt(input);
      if (o.ok) expect(Object.keys(o.meta).sort()).toEqual(Object.keys(emptyMetadata()).sort());
      else {
        expect(o.kind, f).toBe('MetadataError');
        expect(o.error.length, f).toBeGreaterThan(5);
      }
    }
  }
}

/** Our metadata of one file of the set, failing the test with the reader's message if it had none. */
export function metaOf(ours: Map<string, Outcome>, file: string): FileMetadata {
  const o = ours.get(file)!;
  if (!o.ok) throw new Error(o.error);
  return o.meta;
}

/** Canon_40D.jpg, in the corpus and in the generated set alike: what a person would look for. */
export const CANON_40D = {
  captureDate: '2008-05-30T15:56:01', // SubSecTimeOriginal "00" says nothing
  captureTs: Date.UTC(2008, 4, 30, 15, 56, 1),
  tzOffsetMin: null,
  make: 'Canon',
  model: 'Canon EOS 40D',
  fNumber: 7.1,
  iso: 100,
  focalLength: 135,
  exposureTime: 0.00625,
};
