import { spawn } from 'node:child_process';
import path from 'node:path';

// The bundled ffmpeg, run directly (no shell) and killed if it stalls: video frames, the probe
// that reads containers without a native reader here, and the audio decode behind waveforms.

const STDERR_KEEP = 64 * 1024;

let binary: string | null | undefined;

export function ffmpegPath(): string {
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
  if (!binary) throw new Error('video and audio previews unavailable: ffmpeg not found');
  return binary;
}

/** The file: protocol keeps names with colons or leading dashes from being read as options. */
export function ffmpegInput(file: string): string {
  return `file:${path.resolve(file)}`;
}

export interface FfmpegRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  /** Most stdout bytes kept; past it the child is killed and the run fails with `tooBigMessage`. */
  maxStdout: number;
  tooBigMessage?: string;
  /** Takes stdout as it arrives instead of keeping it (then `maxStdout` does not apply). */
  onStdout?: (chunk: Buffer) => void;
}

export function runFfmpeg(args: string[], deadline: number, options: RunOptions): Promise<FfmpegRun> {
  const bin = ffmpegPath();
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
      if (options.onStdout) {
        options.onStdout(chunk);
        return;
      }
      outBytes += chunk.length;
      if (outBytes > options.maxStdout) {
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
      else if (tooBig) reject(new Error(options.tooBigMessage ?? 'ffmpeg output too large'));
      else resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

/** What `ffmpeg -i` prints about an input: its tags, duration and first video and audio streams. */
export interface FfmpegInfo {
  /** The container's tags, lower-cased names ("title", "creation_time", "artist"...). */
  tags: Map<string, string>;
  durationS: number | null;
  bitrateKbps: number | null;
  video: {
    codec: string;
    width: number | null;
    height: number | null;
    fps: number | null;
    rotation: number | null;
  } | null;
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
}

const CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  '2.1': 3,
  quad: 4,
  '4.0': 4,
  '5.0': 5,
  '5.1': 6,
  '6.1': 7,
  '7.1': 8,
};

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Parses `ffmpeg -i`'s report; throws "not a playable video|audio file: why" when ffmpeg could not open it. */
export function parseFfmpegInfo(stderr: string, kind = 'video'): FfmpegInfo {
  if (!/^Input #0/m.test(stderr)) {
    const last = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^At least one output/.test(l))
      .pop();
    // ffmpeg prefixes errors with the input name; drop it, the user knows which file.
    const why = (last ?? 'unreadable').replace(/^.*?:\s(?=[A-Z])/, '');
    throw new Error(`not a playable ${kind}: ${lowerFirst(why)}`);
  }
  const lines = stderr.split('\n');
  const tags = new Map<string, string>();
  let i = lines.findIndex((l) => /^Input #0/.test(l)) + 1;
  // The container's "Metadata:" block is indented by 2; its entries by 4.
  if (/^ {2}Metadata:\s*$/.test(lines[i] ?? '')) {
    for (i++; i < lines.length; i++) {
      const m = /^ {4}(\S[^:]*?)\s*: (.*)$/.exec(lines[i]!);
      if (!m) break;
      const key = m[1]!.toLowerCase();
      if (!tags.has(key)) tags.set(key, m[2]!.trim());
    }
  }
  const d = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  const durationS = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;
  const br = /Duration:.*?bitrate:\s*(\d+)\s*kb\/s/.exec(stderr);
  const v = /Stream #\d+:\d+.*?: Video: (.*)/.exec(stderr);
  let video: FfmpegInfo['video'] = null;
  if (v) {
    const desc = v[1]! + ' ';
    const size = /, (\d{1,5})x(\d{1,5})[\s,]/.exec(desc);
    const fps = /, (\d+(?:\.\d+)?)k? fps/.exec(desc);
    // After the stream line: its rotate tag or a display matrix side data line.
    const after = stderr.slice(v.index + v[0].length).split(/\n\s*Stream #/)[0]!;
    const rotate = /^\s*rotate\s*: (-?\d+)/m.exec(after);
    const matrix = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(after);
    const rot = rotate ? Number(rotate[1]) : matrix ? -Number(matrix[1]) : null;
    video = {
      codec: /^(\w+)/.exec(desc)?.[1] ?? 'unknown',
      width: size ? Number(size[1]) : null,
      height: size ? Number(size[2]) : null,
      fps: fps ? Number(fps[1]) * (/k fps/.test(fps[0]) ? 1000 : 1) : null,
      rotation: rot === null ? null : ((Math.round(rot) % 360) + 360) % 360,
    };
  }
  const a = /Stream #\d+:\d+.*?: Audio: (.*)/.exec(stderr);
  let audio: FfmpegInfo['audio'] = null;
  if (a) {
    const desc = a[1]!;
    const rate = /, (\d+) Hz/.exec(desc);
    const layout = /Hz, ([^,]+)/.exec(desc)?.[1]?.trim() ?? '';
    const ch = CHANNELS[layout.replace(/\(.*\)$/, '')] ?? /^(\d+) channels/.exec(layout)?.[1];
    audio = {
      codec: /^(\w+)/.exec(desc)?.[1] ?? 'unknown',
      sampleRate: rate ? Number(rate[1]) : null,
      channels: ch === undefined ? null : Number(ch),
    };
  }
  return {
    tags,
    durationS: durationS !== null && Number.isFinite(durationS) ? durationS : null,
    bitrateKbps: br ? Number(br[1]) : null,
    video,
    audio,
  };
}

/** Runs `ffmpeg -i` on a file and parses what it prints. */
export async function probeFile(file: string, deadline: number, kind = 'video'): Promise<FfmpegInfo> {
  const r = await runFfmpeg(['-hide_banner', '-nostdin', '-i', ffmpegInput(file)], deadline, {
    maxStdout: 0,
  });
  return parseFfmpegInfo(r.stderr, kind);
}
