import { boxesIn, childBoxes, childBoxesIn, listBoxes, type Box } from '../../formats/bmff';
import type { ByteSource } from '../../formats/byte-source';
import { LIMITS } from '../../formats/limits';
import { decodeXmpPacket } from '../../formats/xmp-packet';
import { parseXmpDate, type CaptureDate } from './dates';
import { gpsFromIso6709 } from './gps';
import { emptyTags, keywordList, positiveOrNull, setFact, type MediaTags } from './media-tags';

// MP4, MOV, M4V and 3GP movies: the movie header (creation time, duration), each track's header
// and sample description (frame size, rotation, codec, frame rate, audio format) and the three
// places QuickTime keeps tags: 'udta' text atoms (©mak, ©mod, ©xyz, ©nam...), an iTunes-style
// 'ilst' under udta/meta, and Apple's 'keys' + 'ilst' under moov/meta (com.apple.quicktime.*),
// which iPhones use. XMP sits in a top-level 'uuid' box or a udta 'XMP_' atom. Only box headers
// and the small leaf boxes are read; 'mdat' is never touched.

/** XMP's uuid box (Adobe XMP spec part 3, 1.1.4). */
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
/** Seconds from 1904-01-01 (QuickTime's epoch) to 1970-01-01. */
const EPOCH_1904 = 2_082_844_800;
/** Most stts entries summed for the frame rate; the rest of a huge table adds nothing. */
const MAX_STTS_ENTRIES = 100_000;

const VIDEO_CODECS: Record<string, string> = {
  avc1: 'H.264',
  avc3: 'H.264',
  hvc1: 'HEVC',
  hev1: 'HEVC',
  dvh1: 'HEVC (Dolby Vision)',
  dvhe: 'HEVC (Dolby Vision)',
  av01: 'AV1',
  vp09: 'VP9',
  vp08: 'VP8',
  mp4v: 'MPEG-4 Visual',
  s263: 'H.263',
  h263: 'H.263',
  jpeg: 'Motion JPEG',
  mjpa: 'Motion JPEG',
  mjp2: 'Motion JPEG 2000',
  apch: 'ProRes 422 HQ',
  apcn: 'ProRes 422',
  apcs: 'ProRes 422 LT',
  apco: 'ProRes 422 Proxy',
  ap4h: 'ProRes 4444',
  ap4x: 'ProRes 4444 XQ',
  dvc: 'DV',
  'dvc ': 'DV',
  dvcp: 'DV',
  dvpp: 'DVCPRO',
  dv5n: 'DVCPRO50',
  dv5p: 'DVCPRO50',
  xd5c: 'XDCAM HD422',
};
const AUDIO_CODECS: Record<string, string> = {
  mp4a: 'AAC',
  alac: 'Apple Lossless',
  'ac-3': 'AC-3',
  'ec-3': 'E-AC-3',
  Opus: 'Opus',
  fLaC: 'FLAC',
  samr: 'AMR',
  sawb: 'AMR-WB',
  lpcm: 'PCM',
  sowt: 'PCM',
  twos: 'PCM',
  in24: 'PCM',
  in32: 'PCM',
  fl32: 'PCM',
  '.mp3': 'MP3',
  ulaw: 'µ-law',
  alaw: 'A-law',
  ima4: 'IMA ADPCM',
};

interface Track {
  handler: string;
  width: number;
  height: number;
  rotation: number;
  codec: string | null;
  timescale: number;
  duration: number;
  samples: number | null;
  channels: number | null;
  sampleRate: number | null;
}

/** The tag values found, by where they were found; the caller picks in order of trust. */
interface Found {
  keys: Map<string, string>;
  /** udta text atoms and iTunes ilst items, by four-character code. */
  items: Map<string, string>;
  xmp: string[];
  created: number | null;
  timescale: number;
  duration: number;
  tracks: Track[];
}

function text(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    // UTF-16BE with its BOM: swap to the LE that Node decodes.
    const le = Buffer.from(buf.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  const s = buf.toString('utf8');
  // Pre-Unicode QuickTime wrote Mac Roman; bytes that are not UTF-8 are read as Latin-1 rather than lost.
  return s.includes('\ufffd') ? buf.toString('latin1') : s;
}

/** The value of an ilst item's 'data' box: text, or a number for the numeric types. */
function dataValue(b: Buffer, box: Box): string | null {
  for (const d of childBoxesIn(b, box)) {
    if (d.type !== 'data' || d.end - d.body < 8) continue;
    const type = b.readUInt32BE(d.body) & 0xffffff;
    const v = b.subarray(d.body + 8, d.end);
    if (type === 1) return v.toString('utf8');
    if (type === 2) return text(Buffer.concat([Buffer.from([0xfe, 0xff]), v]));
    if (type === 21 && v.length >= 1 && v.length <= 4) return String(v.readIntBE(0, v.length));
    if (type === 22 && v.length >= 1 && v.length <= 4) return String(v.readUIntBE(0, v.length));
    if (type === 23 && v.length === 4) return String(v.readFloatBE(0));
    if (type === 24 && v.length === 8) return String(v.readDoubleBE(0));
    return null;
  }
  return null;
}

/** A udta text atom: 16-bit length, 16-bit language, the text (the first of several translations). */
function udtaText(b: Buffer, box: Box): string | null {
  if (box.end - box.body >= 8 && b.toString('latin1', box.body + 4, box.body + 8) === 'data')
    return dataValue(b, box); // some writers put iTunes-style data boxes straight in udta
  if (box.end - box.body < 4) return null;
  const len = b.readUInt16BE(box.body);
  const start = box.body + 4;
  if (start + len > box.end) return null;
  return text(b.subarray(start, start + len));
}

/** QuickTime's 'meta' has no version/flags; ISO's (as in udta/meta) has four bytes of them. */
function metaChildren(b: Buffer, meta: Box): Box[] {
  const fullBox = b.toString('latin1', meta.body + 4, meta.body + 8) !== 'hdlr';
  return childBoxesIn(b, meta, fullBox ? 4 : 0);
}

/** Apple's 'keys' (the names) and 'ilst' (values keyed by 1-based index into keys). */
function readKeyedMeta(b: Buffer, meta: Box, found: Found): void {
  const kids = metaChildren(b, meta);
  const keysBox = kids.find((k) => k.type === 'keys');
  const ilst = kids.find((k) => k.type === 'ilst');
  if (!ilst) return;
  if (!keysBox) {
    readItems(b, ilst, found);
    return;
  }
  const names: string[] = [];
  let p = keysBox.body + 8;
  const count = keysBox.end - keysBox.body >= 8 ? b.readUInt32BE(keysBox.body + 4) : 0;
  for (let i = 0; i < count && p + 8 <= keysBox.end; i++) {
    const size = b.readUInt32BE(p);
    if (size < 8 || p + size > keysBox.end) break;
    names.push(b.toString('utf8', p + 8, p + size));
    p += size;
  }
  for (const item of childBoxesIn(b, ilst)) {
    const index = b.readUInt32BE(item.start + 4);
    const name = names[index - 1];
    const value = name ? dataValue(b, item) : null;
    if (name && value !== null && !found.keys.has(name)) found.keys.set(name, value);
  }
}

/** iTunes-style items (©nam, ©ART, keyw, cprt...) by their four-character codes. */
function readItems(b: Buffer, ilst: Box, found: Found): void {
  for (const item of childBoxesIn(b, ilst)) {
    const value = dataValue(b, item);
    if (value !== null && !found.items.has(item.type)) found.items.set(item.type, value);
  }
}

/** 3GPP asset atoms (3GPP TS 26.244: titl, dscp, auth, cprt, kywd...) are full boxes with a language; the text follows. */
const THREE_GPP = new Set(['titl', 'dscp', 'auth', 'cprt', 'perf', 'gnre']);

function threeGppText(b: Buffer, box: Box): string | null {
  if (box.end - box.body < 7) return null;
  return text(b.subarray(box.body + 6, box.end)).replace(/\0+$/, '');
}

function readUdta(b: Buffer, found: Found): void {
  for (const box of boxesIn(b, 0, b.length, 2)) {
    // iTunes items, or keys + items as ffmpeg's use_metadata_tags writes them here.
    if (box.type === 'meta') readKeyedMeta(b, box, found);
    else if (box.type === 'XMP_') found.xmp.push(decodeXmpPacket(b.subarray(box.body, box.end)));
    else if (THREE_GPP.has(box.type) && box.end - box.body >= 7 && b.readUInt32BE(box.body) === 0) {
      const value = threeGppText(b, box);
      if (value !== null && !found.items.has(box.type)) found.items.set(box.type, value);
    } else if (box.type.charCodeAt(0) === 0xa9 || box.type === 'keyw' || box.type === 'cprt') {
      const value = udtaText(b, box);
      if (value !== null && !found.items.has(box.type)) found.items.set(box.type, value);
    }
  }
}

/** Version 0 and 1 full boxes put 32- or 64-bit times first: [created, timescale, duration]. */
function timesOf(b: Buffer): [created: number, timescale: number, duration: number] | null {
  if (b.length < 4) return null;
  if (b[0] === 1) {
    if (b.length < 32) return null;
    return [Number(b.readBigUInt64BE(4)), b.readUInt32BE(20), Number(b.readBigUInt64BE(24))];
  }
  if (b.length < 20) return null;
  return [b.readUInt32BE(4), b.readUInt32BE(12), b.readUInt32BE(16)];
}

/** tkhd: the display size (16.16) and the rotation its matrix applies, in degrees clockwise. */
function readTkhd(b: Buffer, track: Track): void {
  const base = b[0] === 1 ? 4 + 32 : 4 + 20;
  if (b.length < base + 52 + 8) return;
  const m = base + 16; // past reserved(8), layer, alternate group, volume, reserved
  const a = b.readInt32BE(m) / 65536;
  const bb = b.readInt32BE(m + 4) / 65536;
  const deg = Math.round((Math.atan2(bb, a) * 180) / Math.PI);
  track.rotation = (deg + 360) % 360;
  track.width = Math.round(b.readUInt32BE(m + 36) / 65536);
  track.height = Math.round(b.readUInt32BE(m + 40) / 65536);
}

/** The first sample entry of stsd: codec, and the stored size or the audio format. */
function readStsd(b: Buffer, track: Track): void {
  if (b.length < 16) return;
  const entry = 8;
  const format = b.toString('latin1', entry + 4, entry + 8);
  track.codec = format;
  const body = entry + 16; // size, format, reserved(6), data_reference_index
  if (track.handler === 'vide' && b.length >= body + 20) {
    // pre_defined/reserved(16), then width and height
    track.width ||= b.readUInt16BE(body + 16);
    track.height ||= b.readUInt16BE(body + 18);
  } else if (track.handler === 'soun' && b.length >= body + 20) {
    // version(2) revision(2) vendor(4) channels(2) sample size(2) compression(2) packet(2) rate(16.16)
    track.channels = b.readUInt16BE(body + 8);
    track.sampleRate = b.readUInt32BE(body + 16) / 65536;
  }
}

function sttsSamples(b: Buffer): number | null {
  if (b.length < 8) return null;
  const count = Math.min(b.readUInt32BE(4), MAX_STTS_ENTRIES, Math.floor((b.length - 8) / 8));
  let samples = 0;
  for (let i = 0; i < count; i++) samples += b.readUInt32BE(8 + i * 8);
  return samples;
}

async function readBody(src: ByteSource, box: Box, max: number): Promise<Buffer> {
  return src.read(box.body, Math.min(box.end - box.body, max));
}

async function readTrack(src: ByteSource, trak: Box): Promise<Track> {
  const track: Track = {
    handler: '',
    width: 0,
    height: 0,
    rotation: 0,
    codec: null,
    timescale: 0,
    duration: 0,
    samples: null,
    channels: null,
    sampleRate: null,
  };
  const kids = await childBoxes(src, trak);
  const tkhd = kids.find((k) => k.type === 'tkhd');
  if (tkhd) readTkhd(await readBody(src, tkhd, 128), track);
  const mdia = kids.find((k) => k.type === 'mdia');
  if (!mdia) return track;
  const media = await childBoxes(src, mdia);
  const mdhd = media.find((k) => k.type === 'mdhd');
  const times = mdhd ? timesOf(await readBody(src, mdhd, 64)) : null;
  if (times) [, track.timescale, track.duration] = times;
  const hdlr = media.find((k) => k.type === 'hdlr');
  if (hdlr) track.handler = (await readBody(src, hdlr, 12)).toString('latin1', 8, 12);
  const minf = media.find((k) => k.type === 'minf');
  const stbl = minf && (await childBoxes(src, minf)).find((k) => k.type === 'stbl');
  if (!stbl) return track;
  const table = await childBoxes(src, stbl);
  const stsd = table.find((k) => k.type === 'stsd');
  if (stsd) readStsd(await readBody(src, stsd, 256), track);
  const stts = table.find((k) => k.type === 'stts');
  if (stts && track.handler === 'vide')
    track.samples = sttsSamples(await readBody(src, stts, 8 + MAX_STTS_ENTRIES * 8));
  return track;
}

/** A small box read whole, or null when it is too large to be the metadata it claims. */
async function smallBox(src: ByteSource, box: Box): Promise<Buffer | null> {
  if (box.end - box.start > LIMITS.blockBytes) return null;
  const b = await src.read(box.start, box.end - box.start);
  return b.length === box.end - box.start ? b : null;
}

/** Re-bases a box read whole so its children can be walked in memory. */
function asRoot(b: Buffer, type: string): Box {
  return { type, start: 0, body: b.readUInt32BE(0) === 1 ? 16 : 8, end: b.length, depth: 1 };
}

function firstText(...values: (string | undefined)[]): string | null {
  for (const v of values) if (v !== undefined && v.replace(/\0/g, '').trim() !== '') return v;
  return null;
}

function dateOf(raw: string | undefined): CaptureDate | null {
  const d = parseXmpDate(raw);
  return d?.iso.includes('T') ? d : null;
}

/** Turns what the walk found into tags, in the order QuickTime players and exiftool trust them. */
function toTags(found: Found, fileSize: number): MediaTags {
  const tags = emptyTags();
  // ffmpeg (-movflags use_metadata_tags) writes the same keys without Apple's prefix.
  const k = (name: string) => found.keys.get(`com.apple.quicktime.${name}`) ?? found.keys.get(name);
  const i = (code: string) => found.items.get(code);
  const c = (code: string) => i(`\u00a9${code}`);

  // com.apple.quicktime.creationdate is local time with its offset; mvhd is UTC by the spec.
  tags.date = dateOf(k('creationdate')) ?? dateOf(c('day'));
  if (!tags.date && found.created !== null && found.created > 0) {
    const ms = (found.created - EPOCH_1904) * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) < 8.64e15)
      tags.date = parseXmpDate(new Date(ms).toISOString().replace(/\.000Z$/, 'Z'));
  }
  tags.make = firstText(k('make'), c('mak'));
  tags.model = firstText(k('model'), c('mod'));
  tags.title = firstText(k('title'), k('displayname'), c('nam'), i('titl'));
  tags.description = firstText(k('description'), c('des'), i('desc'), i('dscp'), k('comment'), c('cmt'));
  tags.creator = firstText(k('author'), k('artist'), c('aut'), c('ART'), i('auth'), i('perf'));
  tags.copyright = firstText(k('copyright'), i('cprt'), c('cpy'));
  tags.keywords = keywordList([k('keywords') ?? i('keyw') ?? c('kwd')]);
  tags.gps = gpsFromIso6709(k('location.ISO6709')) ?? gpsFromIso6709(c('xyz'));
  tags.xmp = found.xmp;

  const duration = found.timescale > 0 ? found.duration / found.timescale : null;
  tags.durationS = positiveOrNull(duration);
  const video = found.tracks.find((t) => t.handler === 'vide');
  const audio = found.tracks.find((t) => t.handler === 'soun');
  if (video) {
    tags.width = positiveOrNull(video.width);
    tags.height = positiveOrNull(video.height);
    setFact(tags.facts, 'codec', video.codec ? (VIDEO_CODECS[video.codec] ?? video.codec) : null);
    if (video.samples && video.duration > 0 && video.timescale > 0)
      setFact(tags.facts, 'frameRate', (video.samples * video.timescale) / video.duration);
    setFact(tags.facts, 'rotation', video.rotation);
  }
  if (audio) {
    setFact(tags.facts, 'audioCodec', audio.codec ? (AUDIO_CODECS[audio.codec] ?? audio.codec) : null);
    setFact(tags.facts, 'sampleRate', audio.sampleRate);
    setFact(tags.facts, 'channels', audio.channels);
  }
  if (tags.durationS) setFact(tags.facts, 'bitrate', Math.round((fileSize * 8) / tags.durationS / 1000));
  return tags;
}

/**
 * The tags of an MP4/MOV-family movie, or null when it has no movie box. A 'damage' line says
 * why the walk stopped early (the caller decides whether that is worth an error).
 */
export async function readQuickTime(
  src: ByteSource,
): Promise<{ tags: MediaTags | null; damage: string | null }> {
  const found: Found = {
    keys: new Map(),
    items: new Map(),
    xmp: [],
    created: null,
    timescale: 0,
    duration: 0,
    tracks: [],
  };
  const top = await listBoxes(src, 0, src.size);
  let damage: string | null = null;
  if (top.stop && top.stop.reason !== 'too-many')
    damage = 'the file is cut short or damaged inside its boxes';
  const moov = top.boxes.find((b) => b.type === 'moov');
  for (const box of top.boxes) {
    if (box.type === 'uuid' && box.uuid === XMP_UUID && box.end - box.body <= LIMITS.blockBytes)
      found.xmp.push(decodeXmpPacket(await src.read(box.body, box.end - box.body)));
  }
  if (!moov) return { tags: found.xmp.length ? toTags(found, src.size) : null, damage };
  // Apple's moov/meta first: where the same key is also under udta, the first reading wins.
  const children = await childBoxes(src, moov);
  const metaFirst = [
    ...children.filter((b) => b.type === 'meta'),
    ...children.filter((b) => b.type !== 'meta'),
  ];
  for (const box of metaFirst) {
    if (box.type === 'mvhd') {
      const times = timesOf(await readBody(src, box, 64));
      if (times) [found.created, found.timescale, found.duration] = times;
    } else if (box.type === 'trak') {
      found.tracks.push(await readTrack(src, box));
    } else if (box.type === 'udta') {
      const b = await smallBox(src, box);
      if (b) readUdta(b.subarray(asRoot(b, 'udta').body), found);
    } else if (box.type === 'meta') {
      const b = await smallBox(src, box);
      if (b) readKeyedMeta(b, asRoot(b, 'meta'), found);
    } else if (box.type === 'uuid' && box.uuid === XMP_UUID && box.end - box.body <= LIMITS.blockBytes) {
      found.xmp.push(decodeXmpPacket(await src.read(box.body, box.end - box.body)));
    }
  }
  return { tags: toTags(found, src.size), damage };
}
