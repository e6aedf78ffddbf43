import { spawn, spawnSync } from 'node:child_process';
import { openSource } from '../../formats/byte-source';
import { dscComments, epsSections } from '../../formats/eps';
import { LIMITS } from '../../formats/limits';
import { DECODE_OPTIONS, decodeError, encodeWebp, sharp } from './encode';
import { NothingToDrawError, type RenderOutput } from './types';

// EPS (and PostScript-only Illustrator files): the TIFF preview the DOS binary header points at,
// else a render by Ghostscript when it is installed. Ghostscript is an external program the user
// may have (AGPL; never bundled or linked): without it such a file gets its type icon. A WMF
// preview is not drawn: it is Windows vector drawing commands that no npm decoder renders.

let ghostscript: string | null | undefined;

/** The Ghostscript executable, if one runs: DAM_GHOSTSCRIPT names it ("" turns it off), else gs on PATH. */
export function findGhostscript(): string | null {
  if (ghostscript !== undefined) return ghostscript;
  const candidate = process.env.DAM_GHOSTSCRIPT ?? 'gs';
  ghostscript = null;
  if (candidate) {
    const r = spawnSync(candidate, ['--version'], { timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    if (r.status === 0) ghostscript = candidate;
  }
  return ghostscript;
}

/** Forget the cached lookup (tests switch DAM_GHOSTSCRIPT). */
export function resetGhostscript(): void {
  ghostscript = undefined;
}

function runGhostscript(gs: string, file: string, dpi: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const args = [
      ...['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-dEPSCrop', '-dFirstPage=1', '-dLastPage=1'],
      ...['-sDEVICE=png16m', '-dTextAlphaBits=4', '-dGraphicsAlphaBits=4', `-r${dpi}`],
      '-sOutputFile=-',
      '--',
      file,
    ];
    const child = spawn(gs, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Ghostscript gave up after ${LIMITS.documentMs / 1000} s`));
    }, LIMITS.documentMs);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > LIMITS.previewBytes) child.kill('SIGKILL');
      else chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 2000) err += c.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && size > 0 && size <= LIMITS.previewBytes) resolve(Buffer.concat(chunks));
      else
        reject(new Error(`Ghostscript could not draw it (${err.trim().split('\n')[0] || `exit ${code}`})`));
    });
  });
}

export async function renderEps(
  path: string,
  buffer: Buffer | undefined,
  maxEdge: number,
): Promise<RenderOutput> {
  const src = await openSource(buffer ?? path);
  let sections;
  let bbox;
  let tiff: Buffer | null = null;
  try {
    sections = await epsSections(src);
    bbox = (await dscComments(src, sections)).boundingBox;
    if (sections.tiff && sections.tiff.length <= LIMITS.previewBytes)
      tiff = await src.read(sections.tiff.at, sections.tiff.length);
  } finally {
    await src.close();
  }
  const bw = bbox ? bbox[2] - bbox[0] : 0;
  const bh = bbox ? bbox[3] - bbox[1] : 0;
  const size = bw > 0 && bh > 0 ? { sourceWidth: Math.round(bw), sourceHeight: Math.round(bh) } : null;
  if (tiff) {
    try {
      const out = await encodeWebp(sharp(tiff, DECODE_OPTIONS), maxEdge);
      return {
        ...out,
        sourceWidth: size?.sourceWidth ?? null,
        sourceHeight: size?.sourceHeight ?? null,
        durationS: null,
      };
    } catch (err) {
      throw decodeError('damaged EPS preview', err);
    }
  }
  const gs = findGhostscript();
  if (!gs)
    throw new NothingToDrawError(
      sections.wmf
        ? 'the EPS has only a WMF preview, and Ghostscript is not installed'
        : 'the EPS has no preview, and Ghostscript is not installed',
    );
  // Drawn at the size it will be shown (points → pixels), within sane resolutions.
  const dpi = Math.max(1, Math.min(1200, Math.round((72 * maxEdge) / Math.max(bw || 612, bh || 792))));
  const png = await runGhostscript(gs, path, dpi);
  const out = await encodeWebp(sharp(png, DECODE_OPTIONS), maxEdge);
  return {
    ...out,
    sourceWidth: size?.sourceWidth ?? null,
    sourceHeight: size?.sourceHeight ?? null,
    durationS: null,
  };
}
