import type { IAudioMetadata } from 'music-metadata';
import { parseExifDate, parseXmpDate, type CaptureDate } from './dates';
import { emptyTags, keywordList, setFact, type MediaTags } from './media-tags';
import { cleanText } from './text';

// Audio files (MP3, FLAC, WAV, Ogg Vorbis/Opus, M4A, APE, AIFF...) through music-metadata, which
// reads every tag format they use (ID3v1/v2, Vorbis comments, APE, RIFF INFO, iTunes atoms).
// Loaded on first use: the image hot path never pays for it.

/**
 * RIFF INFO and ID3v1 have no charset; readers take them as Latin-1, but today's writers (ffmpeg,
 * most taggers) put UTF-8 there. Text whose Latin-1 bytes form valid multi-byte UTF-8 is that.
 */
export function undoMojibake(s: string | null): string | null {
  if (s === null || !/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const utf8 = Buffer.from(s, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? s : utf8;
}

function dateOf(raw: string | number | undefined): CaptureDate | null {
  if (raw === undefined) return null;
  const s = String(raw).trim();
  // ID3 TDRC and Vorbis DATE are ISO 8601 prefixes ("2019", "2019-05-30T18:00"); RIFF ICRD is often EXIF-like.
  return parseXmpDate(s) ?? parseExifDate(s);
}

/** The first native tag with this id, in whichever tag format carried it. */
function nativeTag(mm: IAudioMetadata, id: string): unknown {
  for (const tags of Object.values(mm.native)) for (const tag of tags) if (tag.id === id) return tag.value;
  return undefined;
}

/**
 * A Broadcast WAV's recording time (EBU Tech 3285 'bext': "yyyy-mm-dd" and "hh:mm:ss", local
 * wall time without a zone): what field recorders and cameras' audio recorders write.
 */
function bwfDate(mm: IAudioMetadata): CaptureDate | null {
  const date = nativeTag(mm, 'bext.originationDate');
  const time = nativeTag(mm, 'bext.originationTime');
  if (typeof date !== 'string' || !date.trim()) return null;
  const t = typeof time === 'string' ? time.trim().replace(/[-.]/g, ':') : '';
  return parseExifDate(t ? `${date.trim()} ${t}` : date.trim());
}

/** ffmpeg and some taggers put a comment in an ID3 TXXX frame named "comment" rather than COMM. */
function userComment(mm: IAudioMetadata): string | undefined {
  for (const tags of Object.values(mm.native)) {
    for (const tag of tags) {
      if (!/^TXXX:(comment|description)$/i.test(tag.id)) continue;
      const v: unknown = tag.value;
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object' && 'text' in v && Array.isArray(v.text)) return String(v.text[0] ?? '');
    }
  }
  return undefined;
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Tags from music-metadata's reading; the first value of each list, as a player shows it. */
export function audioTags(mm: IAudioMetadata): MediaTags {
  const { common, format } = mm;
  const tags = emptyTags();
  const t = (v: string | undefined) => undoMojibake(cleanText(v));
  tags.title = t(common.title);
  const artists = common.artists?.length ? common.artists : common.artist ? [common.artist] : [];
  tags.creator = t(artists.join('; '));
  tags.description =
    t(common.comment?.map((c) => c.text ?? '').find((x) => cleanText(x))) ??
    t(common.description?.[0]) ??
    t(userComment(mm)) ??
    t(stringOr(nativeTag(mm, 'bext.description')));
  tags.copyright = t(common.copyright);
  tags.keywords = keywordList(common.keywords ?? []);
  tags.date = bwfDate(mm) ?? dateOf(common.date) ?? dateOf(common.year);
  tags.durationS = format.duration ?? null;
  setFact(tags.facts, 'artist', tags.creator);
  setFact(tags.facts, 'album', t(common.album));
  setFact(tags.facts, 'albumArtist', t(common.albumartist));
  setFact(tags.facts, 'genre', t(common.genre?.join(', ')));
  setFact(tags.facts, 'year', common.year);
  if (common.track.no)
    setFact(tags.facts, 'track', common.track.of ? `${common.track.no}/${common.track.of}` : common.track.no);
  setFact(tags.facts, 'bitsPerSample', format.bitsPerSample);
  setFact(tags.facts, 'audioCodec', format.codec);
  setFact(tags.facts, 'sampleRate', format.sampleRate);
  setFact(tags.facts, 'channels', format.numberOfChannels);
  setFact(
    tags.facts,
    'bitrate',
    format.bitrate === undefined ? undefined : Math.round(format.bitrate / 1000),
  );
  return tags;
}

/** music-metadata's messages name its own classes and offsets; one short line is enough here. */
function why(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line || 'unreadable';
}

export class AudioReadError extends Error {
  override name = 'AudioReadError';
}

export async function readAudio(input: { path: string; buffer?: Buffer }): Promise<MediaTags> {
  const mm = await import('music-metadata');
  const options = { skipCovers: true, duration: false };
  try {
    const parsed = input.buffer
      ? await mm.parseBuffer(input.buffer, { path: input.path, size: input.buffer.length }, options)
      : await mm.parseFile(input.path, options);
    return audioTags(parsed);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string') throw err; // a file-system error: the caller decides about retrying
    throw new AudioReadError(`unreadable audio file: ${why(err)}`);
  }
}
