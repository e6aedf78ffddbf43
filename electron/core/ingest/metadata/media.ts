import { asfCreationTime, isAsf } from '../../formats/asf';
import { readMdpm } from '../../formats/avchd';
import type { ByteSource } from '../../formats/byte-source';
import { sniffFormat } from '../../formats/sniff';
import { probeFile } from '../ffmpeg';
import { readAudio } from './audio';
import { parseXmpDate, withOffset } from './dates';
import { emptyTags, fromMediaTags, type MediaMetadata } from './media-tags';
import { probedTags } from './probed-video';
import { readQuickTime } from './quicktime';

/** How long ffmpeg may take to describe one file. */
const PROBE_TIME_LIMIT_MS = 20_000;

export type MediaReader = 'quicktime' | 'probe' | 'audio';

/** Which reader a video or audio file's first bytes call for; null for everything else. */
export function mediaReader(head: Buffer): MediaReader | null {
  const format = sniffFormat(head);
  if (format === 'audio') return 'audio';
  if (format !== 'video') return null;
  const box = head.length >= 8 ? head.toString('latin1', 4, 8) : '';
  return box === 'ftyp' || box === 'moov' || box === 'mdat' || box === 'wide' || box === 'pnot'
    ? 'quicktime'
    : 'probe';
}

export class MediaReadError extends Error {
  override name = 'MediaReadError';
}

/**
 * Date, camera, place, title, size, duration and facts of a video or audio file. A movie cut short
 * inside its header with nothing readable is a MediaReadError; a container ffmpeg cannot open
 * reads as empty (its preview says why, once).
 */
export async function readMedia(
  reader: MediaReader,
  src: ByteSource,
  input: { path: string; buffer?: Buffer },
): Promise<MediaMetadata> {
  if (reader === 'audio') return fromMediaTags(await readAudio(input));
  if (reader === 'quicktime') {
    const { tags, damage } = await readQuickTime(src);
    if (!tags) {
      if (damage) throw new MediaReadError(damage);
      return fromMediaTags(emptyTags());
    }
    return fromMediaTags(tags);
  }
  let info;
  try {
    info = await probeFile(input.path, Date.now() + PROBE_TIME_LIMIT_MS);
  } catch (err) {
    if (typeof (err as { code?: unknown } | null)?.code === 'string') throw err;
    return fromMediaTags(emptyTags());
  }
  const tags = probedTags(info, src.size);
  if (isAsf(await src.read(0, 16))) {
    // ASF's creation date is UTC; ffmpeg does not print it.
    const ms = await asfCreationTime(src);
    if (ms !== null && !tags.date && Math.abs(ms) < 8.64e15)
      tags.date = parseXmpDate(new Date(ms).toISOString().replace(/\.000Z$/, 'Z'));
  }
  if (!tags.date || !tags.make) {
    // AVCHD keeps the recording time and maker in the H.264 stream, where ffmpeg does not look.
    const mdpm = await readMdpm(src);
    const wall = mdpm?.wallClock ? parseXmpDate(mdpm.wallClock) : null;
    if (wall && !tags.date) tags.date = mdpm!.offsetMin === null ? wall : withOffset(wall, mdpm!.offsetMin);
    tags.make ??= mdpm?.make ?? null;
  }
  return fromMediaTags(tags);
}
