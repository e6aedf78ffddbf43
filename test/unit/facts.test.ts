import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { getAsset } from '../../electron/core/catalog/assets.repository';
import { storeProcessed } from '../../electron/core/catalog/metadata.repository';
import { openCatalog } from '../../electron/core/catalog/open';
import { emptyMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { cleanFacts, factLines } from '../../shared/facts';
import { insertAssetWithFile } from '../helpers/catalog-rows';
import { tempDir } from '../helpers/corpus';

describe('format facts', () => {
  it('keep only listed keys with finite numbers and non-empty strings', () => {
    expect(
      cleanFacts({ codec: ' h264 ', frameRate: 29.97, bogus: 1, album: '', vertices: Infinity, pages: 12 }),
    ).toEqual({ codec: 'h264', frameRate: 29.97, pages: 12 });
  });

  it('read as labelled lines in a fixed order, numbers in their unit', () => {
    expect(factLines({ sampleRate: 44100, codec: 'aac', channels: 2, vertices: 12345 })).toEqual([
      { label: 'Codec', value: 'aac' },
      { label: 'Sample rate', value: '44.1 kHz' },
      { label: 'Channels', value: '2' },
      { label: 'Vertices', value: '12,345' },
    ]);
  });

  const dir = tempDir('dam-facts-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are stored with a file\u2019s metadata and come back on the asset; an audio type is accepted', () => {
    const db = openCatalog(dir, { create: true });
    db.prepare(`INSERT INTO roots (path, name, kind, added_at) VALUES (?, 'x', 'local', 0)`).run(dir);
    insertAssetWithFile(db, 1, { search: true });
    const metadata = { ...emptyMetadata(), title: 'Song', facts: { album: 'Blue', sampleRate: 48000 } };
    db.transaction(() =>
      storeProcessed(
        db,
        {
          jobId: 0,
          fileId: 1,
          stat: null,
          stable: true,
          contentHash: 'x',
          format: 'other',
          type: 'audio',
          metadata,
          durationS: 3.5,
          thumb: null,
          pixels: null,
          error: null,
          transientError: null,
          ms: 0,
        },
        1,
      ),
    )();
    const a = getAsset(db, 1, dir)!;
    expect(a.type).toBe('audio');
    expect(a.title).toBe('Song');
    expect(a.durationS).toBe(3.5);
    expect(a.facts).toEqual({ album: 'Blue', sampleRate: 48000 });
    // A hand-edited or damaged facts value reads as none rather than failing the asset.
    db.prepare(`UPDATE file_metadata SET facts = 'not json'`).run();
    expect(getAsset(db, 1, dir)!.facts).toEqual({});
    db.close();
  });
});
