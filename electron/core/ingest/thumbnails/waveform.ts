import { ffmpegInput, probeFile, runFfmpeg } from '../ffmpeg';
import { encodeWebp, sharp } from './encode';
import type { RenderOutput } from './types';

// An audio file's thumbnail: its waveform, one column per slice of time drawn from the slice's
// lowest to its highest sample. ffmpeg decodes to mono 16-bit PCM at a low rate (the envelope
// survives a 4 kHz low-pass) and the columns are reduced as the PCM streams in, so memory stays
// flat. A long file is not decoded whole: one short window per column, each seeked to, caps the
// work at COLUMNS × WINDOW_S seconds of audio whatever the length.

const TIME_LIMIT_MS = 30_000;
const RATE = 4000;
/** Files up to this long are decoded whole; longer ones window by window. */
const WHOLE_DECODE_MAX_S = 4 * 60;
const WINDOW_S = 0.5;
const BACKGROUND = [0x1d, 0x22, 0x2b] as const;
const WAVE = [0x5b, 0xb6, 0xf0] as const;
const AXIS = [0x3a, 0x42, 0x50] as const;

/** Min and max per column, as -1..1, from s16le PCM streamed in chunks of any length. */
export class ColumnReducer {
  readonly min: Float32Array;
  readonly max: Float32Array;
  private seen = 0;
  private odd: number | null = null;

  constructor(
    readonly columns: number,
    private readonly perColumn: number,
  ) {
    this.min = new Float32Array(columns).fill(1);
    this.max = new Float32Array(columns).fill(-1);
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (this.odd !== null && chunk.length > 0) {
      this.add((((chunk[0]! << 8) | this.odd) << 16) >> 16);
      this.odd = null;
      i = 1;
    }
    for (; i + 1 < chunk.length; i += 2) this.add(chunk.readInt16LE(i));
    if (i < chunk.length) this.odd = chunk[i]!;
  }

  private add(sample: number): void {
    const col = Math.min(this.columns - 1, Math.floor(this.seen / this.perColumn));
    this.seen++;
    const v = sample / 32768;
    if (v < this.min[col]!) this.min[col] = v;
    if (v > this.max[col]!) this.max[col] = v;
  }

  get samples(): number {
    return this.seen;
  }

  /** Columns that received samples: a stream shorter than its announced duration fills fewer. */
  get filled(): number {
    return Math.min(this.columns, Math.ceil(this.seen / this.perColumn));
  }
}

/** Quiet recordings are drawn louder (up to this gain) so their shape shows. */
const MAX_GAIN = 16;

/**
 * RGB pixels of the waveform: a centre line, and each column's min..max as a bar, scaled so the
 * loudest peak nearly fills the height.
 */
export function drawWaveform(min: Float32Array, max: Float32Array, width: number, height: number): Buffer {
  const px = Buffer.alloc(width * height * 3);
  for (let p = 0; p < px.length; p += 3) px.set(BACKGROUND, p);
  const mid = Math.floor(height / 2);
  let peak = 0;
  for (let c = 0; c < min.length; c++) if (max[c]! >= min[c]!) peak = Math.max(peak, -min[c]!, max[c]!);
  const gain = peak > 0 ? Math.min(0.95 / peak, MAX_GAIN) : 1;
  const y = (v: number) => Math.max(0, Math.min(height - 1, Math.round(mid - v * gain * (mid - 1))));
  for (let x = 0; x < width; x++) px.set(AXIS, (mid * width + x) * 3);
  for (let x = 0; x < width; x++) {
    const c = Math.min(min.length - 1, Math.floor((x * min.length) / width));
    if (max[c]! < min[c]!) continue; // no samples reached this column
    for (let row = y(max[c]!); row <= y(min[c]!); row++) px.set(WAVE, (row * width + x) * 3);
  }
  return px;
}

function decodeArgs(
  input: string,
  durationS: number,
  columns: number,
): { args: string[]; perColumn: number } {
  const out = [
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    String(RATE),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    'pipe:1',
  ];
  const head = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  if (durationS <= WHOLE_DECODE_MAX_S) {
    return {
      args: [...head, '-i', input, ...out],
      perColumn: Math.max(1, Math.ceil((durationS * RATE) / columns)),
    };
  }
  const args = [...head];
  const step = (durationS - WINDOW_S) / columns;
  for (let c = 0; c < columns; c++)
    args.push('-ss', (c * step).toFixed(3), '-t', String(WINDOW_S), '-i', input);
  const labels = Array.from({ length: columns }, (_, c) => `[${c}:a:0]`).join('');
  const filter = `${labels}concat=n=${columns}:v=0:a=1,aformat=channel_layouts=mono:sample_rates=${RATE}[a]`;
  args.push('-filter_complex', filter, '-map', '[a]', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1');
  return { args, perColumn: Math.round(WINDOW_S * RATE) };
}

export async function renderWaveform(
  file: string,
  maxEdge: number,
  timeLimitMs = TIME_LIMIT_MS,
): Promise<RenderOutput> {
  const deadline = Date.now() + timeLimitMs;
  const info = await probeFile(file, deadline, 'audio file');
  if (!info.audio) throw new Error('no audio stream');
  const width = maxEdge;
  const height = Math.max(2, Math.round(maxEdge / 2));
  const durationS = info.durationS ?? 0;
  // A long file gets fewer, wider windows: each costs a seek and a decoder start.
  const columns = durationS > WHOLE_DECODE_MAX_S ? Math.min(width, 256) : width;
  const { args, perColumn } = decodeArgs(ffmpegInput(file), durationS > 0 ? durationS : 60, columns);
  const reducer = new ColumnReducer(columns, perColumn);
  const r = await runFfmpeg(args, deadline, { maxStdout: 0, onStdout: (chunk) => reducer.push(chunk) });
  if (reducer.samples === 0) {
    const why =
      r.stderr
        .trim()
        .split('\n')
        .pop()
        ?.replace(/^.*?:\s(?=[A-Z])/, '') ?? '';
    throw new Error(`not a playable audio file: ${why || 'no sound could be decoded'}`);
  }
  const n = reducer.filled;
  const px = drawWaveform(reducer.min.subarray(0, n), reducer.max.subarray(0, n), width, height);
  const out = await encodeWebp(sharp(px, { raw: { width, height, channels: 3 } }), maxEdge);
  return { ...out, sourceWidth: null, sourceHeight: null, durationS: info.durationS };
}
