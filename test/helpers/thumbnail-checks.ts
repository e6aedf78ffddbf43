// Checks on rendered thumbnails shared by the unit tests (generated files) and the corpus suite.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { FormatId } from '../../electron/core/ingest/formats/file-types';
import { renderThumbnail, type RenderOutput } from '../../electron/core/ingest/thumbnails';
import { QUADRANT_COLOURS } from '../fixtures/make-fixtures';

export const EDGE = 512;

export function render(
  file: string,
  format: FormatId,
  opts: { maxEdge?: number; inMemory?: boolean } = {},
): Promise<RenderOutput> {
  return renderThumbnail({
    path: file,
    format,
    maxEdge: opts.maxEdge ?? EDGE,
    ...(opts.inMemory ? { buffer: fs.readFileSync(file) } : {}),
  });
}

/** Resolves to the outcome, or fails the test if the renderer takes longer than `ms`. */
export async function settle<T>(
  p: Promise<T>,
  ms: number,
  label: string,
): Promise<{ ok: T } | { err: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (ok) => ({ ok }),
        (err: unknown) => ({ err }),
      ),
      limit,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function expectWebp(out: RenderOutput, maxEdge = EDGE): Promise<void> {
  const meta = await sharp(out.data).metadata();
  expect(meta.format).toBe('webp');
  expect(meta.width).toBe(out.width);
  expect(meta.height).toBe(out.height);
  expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(maxEdge);
  expect(Math.min(out.width, out.height)).toBeGreaterThan(0);
}

/** A 24x24 grayscale fingerprint, for "same picture, same way up" comparisons. */
export async function fingerprint(image: Buffer | string): Promise<Buffer> {
  return sharp(image).resize(24, 24, { fit: 'fill' }).greyscale().raw().toBuffer();
}

export function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The colour at a fraction of the width and height of an encoded image. */
export async function colourAt(image: Buffer, fx: number, fy: number): Promise<number[]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const x = Math.min(info.width - 1, Math.floor(info.width * fx));
  const y = Math.min(info.height - 1, Math.floor(info.height * fy));
  const i = (y * info.width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

export type Quadrant = keyof typeof QUADRANT_COLOURS;

export function closeTo(actual: number[], expected: readonly number[], tolerance = 40): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

/** Asserts which stored quadrant colour shows in each displayed corner. */
export async function expectQuadrants(
  image: Buffer,
  shown: { tl: Quadrant; tr: Quadrant; bl: Quadrant; br: Quadrant },
): Promise<void> {
  const got = {
    tl: await colourAt(image, 0.25, 0.25),
    tr: await colourAt(image, 0.75, 0.25),
    bl: await colourAt(image, 0.25, 0.75),
    br: await colourAt(image, 0.75, 0.75),
  };
  for (const corner of ['tl', 'tr', 'bl', 'br'] as const) {
    expect({
      corner,
      colour: got[corner],
      ok: closeTo(got[corner], QUADRANT_COLOURS[shown[corner]]),
    }).toMatchObject({ corner, ok: true });
  }
}

/** Where the stored quadrants end up once an EXIF orientation is applied. */
export const UPRIGHT: Record<number, { tl: Quadrant; tr: Quadrant; bl: Quadrant; br: Quadrant }> = {
  1: { tl: 'topLeft', tr: 'topRight', bl: 'bottomLeft', br: 'bottomRight' },
  3: { tl: 'bottomRight', tr: 'bottomLeft', bl: 'topRight', br: 'topLeft' },
  6: { tl: 'bottomLeft', tr: 'topLeft', bl: 'bottomRight', br: 'topRight' },
  8: { tl: 'topRight', tr: 'bottomRight', bl: 'topLeft', br: 'bottomLeft' },
};

export function exiftool(file: string): Record<string, number> {
  const out = execFileSync(
    'exiftool',
    ['-j', '-n', '-Orientation', '-ImageWidth', '-ImageHeight', '-Rotation', file],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as Array<Record<string, number>>)[0]!;
}

export function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Each well-formed JPEG or TIFF renders within the edge, reports its stored size, and keeps its upright aspect. */
export async function expectRendersJpegTiff(files: string[]): Promise<void> {
  for (const f of files) {
    const out = await render(f, f.match(/tiff?$/i) ? 'tiff' : 'jpeg', { inMemory: true });
    await expectWebp(out);
    const meta = await sharp(f).metadata();
    expect([f, out.sourceWidth, out.sourceHeight]).toEqual([f, meta.width, meta.height]);
    // Upright aspect: orientations 5-8 swap the stored sides.
    const swapped = (meta.orientation ?? 1) >= 5;
    const [w, h] = swapped ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
    expect(Math.abs(out.width / out.height - w / h)).toBeLessThan(0.05);
  }
}

/**
 * Renders each damaged JPEG from memory and from its path: a valid thumbnail, or an Error with a
 * one-line message, never a hang. Returns "name: ok WxH" or "name: message", two per file.
 */
export async function damagedJpegOutcomes(files: string[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const f of files) {
    for (const inMemory of [true, false]) {
      const r = await settle(render(f, 'jpeg', { inMemory }), 20_000, f);
      if ('ok' in r) {
        await expectWebp(r.ok);
        outcomes.push(`${path.basename(f)}: ok ${r.ok.width}x${r.ok.height}`);
      } else {
        expect(r.err).toBeInstanceOf(Error);
        const msg = (r.err as Error).message;
        expect(msg.length).toBeGreaterThan(5);
        expect(msg).not.toMatch(/\n|\s{2}at\s/);
        outcomes.push(`${path.basename(f)}: ${msg}`);
      }
    }
  }
  return outcomes;
}
