import type { FfmpegInfo } from '../ffmpeg';
import { parseXmpDate, type CaptureDate } from './dates';
import { gpsFromIso6709 } from './gps';
import { emptyTags, keywordList, positiveOrNull, setFact, type MediaTags } from './media-tags';

// MKV/WebM, AVI, WMV/ASF, MPEG-PS and MPEG-TS/M2TS: their tags as ffmpeg's probe prints them.
// Native readers for each would be large (EBML, RIFF lists, ASF objects, TS tables); ffmpeg
// already reads them all and is bundled for the preview anyway.

const VIDEO_CODECS: Record<string, string> = {
  h264: 'H.264',
  hevc: 'HEVC',
  av1: 'AV1',
  vp9: 'VP9',
  vp8: 'VP8',
  mpeg4: 'MPEG-4 Visual',
  mpeg2video: 'MPEG-2',
  mpeg1video: 'MPEG-1',
  mjpeg: 'Motion JPEG',
  prores: 'ProRes',
  dvvideo: 'DV',
  wmv1: 'WMV7',
  wmv2: 'WMV8',
  wmv3: 'WMV9',
  vc1: 'VC-1',
  h263: 'H.263',
  theora: 'Theora',
};

const AUDIO_CODECS: Record<string, string> = {
  aac: 'AAC',
  mp3: 'MP3',
  mp2: 'MP2',
  ac3: 'AC-3',
  eac3: 'E-AC-3',
  dts: 'DTS',
  vorbis: 'Vorbis',
  opus: 'Opus',
  flac: 'FLAC',
  alac: 'Apple Lossless',
  wmav1: 'WMA',
  wmav2: 'WMA',
  wmapro: 'WMA Pro',
  amr_nb: 'AMR',
  amr_wb: 'AMR-WB',
};

function dateOf(raw: string | undefined): CaptureDate | null {
  const d = parseXmpDate(raw);
  return d?.iso.includes('T') ? d : null;
}

/**
 * Tags from `ffmpeg -i`. `creation_time` is UTC where the container says so (Matroska DateUTC,
 * ASF) and ffmpeg prints a "Z" then; AVI's IDIT is local wall time and comes without one.
 */
export function probedTags(info: FfmpegInfo, fileSize: number): MediaTags {
  const t = (k: string) => info.tags.get(k);
  const tags = emptyTags();
  tags.date = dateOf(t('creation_time')) ?? dateOf(t('date'));
  tags.title = t('title') ?? null;
  tags.creator = t('artist') ?? t('author') ?? null;
  tags.description = t('description') ?? t('comment') ?? null;
  tags.copyright = t('copyright') ?? null;
  tags.make = t('make') ?? null;
  tags.model = t('model') ?? null;
  tags.keywords = keywordList([t('keywords')]);
  tags.gps = gpsFromIso6709(t('location'));
  tags.durationS = positiveOrNull(info.durationS);
  if (info.video) {
    tags.width = info.video.width;
    tags.height = info.video.height;
    setFact(tags.facts, 'codec', VIDEO_CODECS[info.video.codec] ?? info.video.codec);
    setFact(tags.facts, 'frameRate', info.video.fps);
    setFact(tags.facts, 'rotation', info.video.rotation);
  }
  if (info.audio) {
    const codec = info.audio.codec;
    setFact(tags.facts, 'audioCodec', AUDIO_CODECS[codec] ?? (codec.startsWith('pcm_') ? 'PCM' : codec));
    setFact(tags.facts, 'sampleRate', info.audio.sampleRate);
    setFact(tags.facts, 'channels', info.audio.channels);
  }
  const bitrate = info.bitrateKbps ?? (tags.durationS ? (fileSize * 8) / tags.durationS / 1000 : null);
  setFact(tags.facts, 'bitrate', bitrate === null ? null : Math.round(bitrate));
  return tags;
}
