import { spawn } from 'node:child_process';
import path from 'node:path';
import { decodeError, encodeWebp, lowerFirst, sharp } from './encode';
import type { RenderOutput } from './types';

// One frame through the bundled ffmpeg, run directly (no shell) and killed if it stalls.
// ffmpeg auto-rotates by the stream's display matrix, so phone videos come out upright.

const TIME_LIMIT_MS = 30_000;
const MAX_FRAME_BYTES = 128 * 1024 * 1024;
const STDERR_KEEP = 64 * 1024;

let binary: string | null | undefined;

function ffmpegPath(): string {
  if (binary === undefined) {
    try {
      // Required lazily: the installer throws (a string) on platforms it has no binary for.
      const installer = require('@ffmpeg-installer/ffmpeg') as typeof import('@ffmpeg-installer/ffmpeg');
      // Inside a packaged app the binary is unpacked beside the asar archive.
      binary = installer.path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    } catch {
      binary = null;
    }
  }
  if (!binary) throw new Error('video previews unavailable: ffmpeg not found');
  return binary;
}

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(bin: string, args: string[], deadline: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    let tooBig = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      Math.max(1, deadline - Date.now()),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_FRAME_BYTES) {
        tooBig = true;
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Stream info comes first and errors last: keep both ends.
      err += chunk.toString('utf8');
      if (err.length > 2 * STDERR_KEEP) err = err.slice(0, STDERR_KEEP) + err.slice(-STDERR_KEEP);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error('timed out'));
      else if (tooBig) reject(new Error('video frame too large'));
      else resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

export interface VideoProbe {
  durationS: number | null;
  width: number | null;
  height: number | null;
}

/** Reads what `ffmpeg -i` prints about the input; throws when it is not a video ffmpeg can open. */
export function parseProbe(stderr: string): VideoProbe {
  if (!/^Input #0/m.test(stderr)) {
    const last = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^At least one output/.test(l))
      .pop();
    // ffmpeg prefixes errors with the input name; drop it, the user knows which file.
    const why = (last ?? 'unreadable').replace(/^.*?:\s(?=[A-Z])/, '');
    throw new Error(`not a playable video: ${lowerFirst(why)}`);
  }
  const video = /Stream #\d+:\d+.*?: Video: (.*)/.exec(stderr);
  if (!video) throw new Error('no video stream (audio only?)');
  const d = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  const durationS = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;
  const size = /, (\d{1,5})x(\d{1,5})[\s,]/.exec(video[1]! + ' ');
  return {
    durationS: durationS !== null && Number.isFinite(durationS) ? durationS : null,
    width: size ? Number(size[1]) : null,
    height: size ? Number(size[2]) : null,
  };
}

/** A tenth of the way in skips black lead-ins and titles; short clips stay inside their length. */
export function seekTime(durationS: number | null): number {
  if (durationS === null || durationS <= 0) return 1;
  return Math.round(Math.min(durationS * 0.1, Math.max(0, durationS - 0.1)) * 1000) / 1000;
}

async function grab(
  bin: string,
  input: string,
  at: number,
  maxEdge: number,
  deadline: number,
): Promise<Buffer> {
  // Square pixels first (anamorphic DV, some phones), then fit inside maxEdge without enlarging.
  const filter = [
    "scale='if(gt(sar,0),iw*sar,iw)':ih",
    'setsar=1',
    `scale='min(${maxEdge},iw)':'min(${maxEdge},ih)':force_original_aspect_ratio=decrease`,
  ].join(',');
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', String(at), '-i', input];
  args.push('-map', '0:v:0', '-frames:v', '1', '-an', '-sn', '-dn', '-vf', filter);
  args.push('-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'png', 'pipe:1');
  const r = await run(bin, args, deadline);
  return r.stdout;
}

/** Everything ffmpeg does for one file shares one time limit; past it the child is killed. */
export async function renderVideo(
  file: string,
  maxEdge: number,
  timeLimitMs = TIME_LIMIT_MS,
): Promise<RenderOutput> {
  const bin = ffmpegPath();
  const deadline = Date.now() + timeLimitMs;
  // The file: protocol keeps names with colons or leading dashes from being read as options.
  const input = `file:${path.resolve(file)}`;
  const probe = parseProbe((await run(bin, ['-hide_banner', '-nostdin', '-i', input], deadline)).stderr);
  const at = seekTime(probe.durationS);
  let png = await grab(bin, input, at, maxEdge, deadline);
  if (!png.length && at > 0) png = await grab(bin, input, 0, maxEdge, deadline);
  if (!png.length) throw new Error('not a playable video: no frame could be decoded');
  try {
    const out = await encodeWebp(sharp(png), maxEdge);
    return { ...out, sourceWidth: probe.width, sourceHeight: probe.height, durationS: probe.durationS };
  } catch (err) {
    throw decodeError('unreadable video frame', err);
  }
}
