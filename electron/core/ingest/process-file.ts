import fs from 'node:fs';
import path from 'node:path';
import type { StatInfo } from '../catalog/files.repository';
import type { ProcessRequest, ProcessResult } from '../jobs/messages';
import { hasRenderer, typeOf } from './formats/file-types';
import { reconcileFormat, sniffFormat } from '../formats/sniff';
import { describeError, isTransient } from './errors';
import { hashBuffer, hashFile } from './hash';
import { readAndHash, type FileBytes } from './read-once';
import { readMetadata, type FileMetadata } from './metadata/read-metadata';
import { NothingToDrawError, renderThumbnail } from './thumbnails';
import { THUMB_EDGE, TMP_DIR, thumbRelPath, thumbTempName } from './thumb-cache';

/** Files up to this size are read once and shared by the hash, the metadata reader and the decoder. */
const IN_MEMORY_LIMIT = 64 * 1024 * 1024;
/** Formats whose decoder sees the real pixels (a RAW's renderer sees only its preview; HEIC reports rotated). */
const DECODER_SIZE_WINS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);

export function statInfo(s: fs.Stats): StatInfo {
  return { size: s.size, mtimeMs: Math.trunc(s.mtimeMs), dev: s.dev, ino: s.ino || null };
}

async function readHead(file: string, size: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(4096, size));
    await fh.read(buf, 0, buf.length, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

function sameStat(a: StatInfo, b: StatInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * Everything the catalogue wants from one file's bytes: what it really is, its metadata, a
 * content hash and a grid thumbnail. Runs in an ingest worker; touches no database.
 */
export async function processFile(req: ProcessRequest): Promise<ProcessResult> {
  const started = Date.now();
  const base = { jobId: req.jobId, fileId: req.fileId };
  let format = req.format;
  const result: ProcessResult = {
    ...base,
    stat: null,
    stable: true,
    contentHash: null,
    format,
    type: typeOf(format, req.ext),
    metadata: null,
    text: null,
    durationS: null,
    thumb: null,
    pixels: null,
    error: null,
    transientError: null,
    ms: 0,
  };
  const problems: string[] = [];
  let read: FileBytes | undefined;
  try {
    const before = statInfo(await fs.promises.stat(req.absPath));
    result.stat = before;
    if (before.size === 0) {
      result.contentHash = hashBuffer(Buffer.alloc(0));
      result.error = 'empty file (0 bytes)';
      return result;
    }
    if (before.size <= IN_MEMORY_LIMIT) read = await readAndHash(req.absPath, before.size);
    const buffer = read?.bytes;
    const head = buffer ? buffer.subarray(0, 4096) : await readHead(req.absPath, before.size);
    const reconciled = reconcileFormat(format, sniffFormat(head));
    format = reconciled.format;
    result.format = format;
    result.type = typeOf(format, req.ext);
    if (reconciled.mismatch) problems.push(`content is ${format}, not what the .${req.ext} extension says`);

    result.contentHash = read ? read.hash : await hashFile(req.absPath);

    let metadata: FileMetadata | null = null;
    if (format !== 'other') {
      try {
        metadata = await readMetadata({ path: req.absPath, format, ...(buffer ? { buffer } : {}) });
        result.text = metadata.text ?? null;
        delete metadata.text;
      } catch (err) {
        if (isTransient(err)) throw err;
        problems.push(`metadata: ${describeError(err)}`);
      }
    }

    if (hasRenderer(format)) {
      const rel = thumbRelPath(result.contentHash);
      const abs = path.join(req.thumbDir, rel);
      // Thumbnails are keyed by content, so a copy or a moved file reuses the one already made
      // (not for time-based media: their renderer also measures the duration).
      const timed = format === 'video' || format === 'audio';
      const exists = !timed && fs.existsSync(abs);
      if (exists) result.thumb = rel;
      else {
        try {
          const out = await renderThumbnail({
            path: req.absPath,
            format,
            maxEdge: THUMB_EDGE,
            ...(buffer ? { buffer } : {}),
          });
          await fs.promises.mkdir(path.dirname(abs), { recursive: true });
          // Written aside then renamed: a crash never leaves a half thumbnail under the real name.
          const tmp = path.join(req.thumbDir, TMP_DIR, thumbTempName(result.contentHash, req.jobId));
          await fs.promises.mkdir(path.dirname(tmp), { recursive: true });
          await fs.promises.writeFile(tmp, out.data);
          await fs.promises.rename(tmp, abs);
          result.thumb = rel;
          result.durationS = out.durationS;
          // A poster frame or a waveform says little about the content, and renders of different
          // models look alike (a cube is a cube): stills only.
          if (!timed && format !== 'model3d')
            result.pixels = { dhash: out.dhash, width: out.width, height: out.height };
          if (metadata && out.sourceWidth && out.sourceHeight && DECODER_SIZE_WINS.has(format)) {
            // The decoder's size is the truth: editors that resize often leave the EXIF size stale.
            metadata.width = out.sourceWidth;
            metadata.height = out.sourceHeight;
          } else if (metadata) {
            metadata.width ??= out.sourceWidth;
            metadata.height ??= out.sourceHeight;
          }
        } catch (err) {
          if (isTransient(err)) throw err;
          // Nothing to draw is not a fault (a document without a picture of itself): the file keeps its type icon.
          if (!(err instanceof NothingToDrawError)) problems.push(`preview: ${describeError(err)}`);
        }
      }
    }
    result.metadata = metadata;

    const after = statInfo(await fs.promises.stat(req.absPath));
    result.stable = sameStat(before, after);
    if (problems.length) result.error = problems.join('; ');
  } catch (err) {
    if (isTransient(err)) result.transientError = describeError(err);
    else result.error = describeError(err);
  } finally {
    // Every reader of the bytes has finished (each was awaited): the next file may reuse them.
    read?.release();
    result.ms = Date.now() - started;
  }
  return result;
}
