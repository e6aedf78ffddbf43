import { ffmpegInput, parseFfmpegInfo, runFfmpeg } from '../ffmpeg';
import { decodeError, encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

// One frame through the bundled ffmpeg (../ffmpeg.ts).
// ffmpeg auto-rotates by the stream's display matrix, so phone videos come out upright.

const TIME_LIMIT_MS = 30_000;
const MAX_FRAME_BYTES = 128 * 1024 * 1024;

export interface VideoProbe {
  durationS: number | null;
  width: number | null;
  height: number | null;
}

/** Reads what `ffmpeg -i` prints about the input; throws when it is not a video ffmpeg can open. */
export function parseProbe(stderr: string): VideoProbe {
  const info = parseFfmpegInfo(stderr);
  if (!info.video) throw new Error('no video stream (audio only?)');
  return { durationS: info.durationS, width: info.video.width, height: info.video.height };
}

/** A tenth of the way in skips black lead-ins and titles; short clips stay inside their length. */
export function seekTime(durationS: number | null): number {
  if (durationS === null || durationS <= 0) return 1;
  return Math.round(Math.min(durationS * 0.1, Math.max(0, durationS - 0.1)) * 1000) / 1000;
}

async function grab(input: string, at: number, maxEdge: number, deadline: number): Promise<Buffer> {
  // Square pixels first (anamorphic DV, some phones), then fit inside maxEdge without enlarging.
  const filter = [
    "scale='if(gt(sar,0),iw*sar,iw)':ih",
    'setsar=1',
    `scale='min(${maxEdge},iw)':'min(${maxEdge},ih)':force_original_aspect_ratio=decrease`,
  ].join(',');
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', String(at), '-i', input];
  args.push('-map', '0:v:0', '-frames:v', '1', '-an', '-sn', '-dn', '-vf', filter);
  args.push('-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'png', 'pipe:1');
  const r = await runFfmpeg(args, deadline, {
    maxStdout: MAX_FRAME_BYTES,
    tooBigMessage: 'video frame too large',
  });
  return r.stdout;
}

/** Everything ffmpeg does for one file shares one time limit; past it the child is killed. */
export async function renderVideo(
  file: string,
  maxEdge: number,
  timeLimitMs = TIME_LIMIT_MS,
): Promise<RenderOutput> {
  const deadline = Date.now() + timeLimitMs;
  const input = ffmpegInput(file);
  const probe = parseProbe(
    (await runFfmpeg(['-hide_banner', '-nostdin', '-i', input], deadline, { maxStdout: 0 })).stderr,
  );
  const at = seekTime(probe.durationS);
  let png = await grab(input, at, maxEdge, deadline);
  if (!png.length && at > 0) png = await grab(input, 0, maxEdge, deadline);
  if (!png.length) throw new Error('not a playable video: no frame could be decoded');
  try {
    const out = await encodeWebp(sharp(png), maxEdge);
    return { ...out, sourceWidth: probe.width, sourceHeight: probe.height, durationS: probe.durationS };
  } catch (err) {
    throw decodeError('unreadable video frame', err);
  }
}
