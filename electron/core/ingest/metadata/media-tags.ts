import { cleanFacts, type Facts } from '../../../../shared/facts';
import type { Gps } from '../../../../shared/model';
import type { CaptureDate } from './dates';
import type { ExifTags } from './exif';
import { emptyMetadata, type FileMetadata } from './file-metadata';
import { normalize } from './normalize';
import { cleanText } from './text';
import { parseXmp } from './xmp';

// What a video or audio container says about itself, whichever reader found it (the BMFF walker
// for MP4/MOV, ffmpeg's probe for MKV/AVI/WMV/MPEG, music-metadata for audio), before it becomes
// a FileMetadata. Container tags win; an XMP packet the container carries fills the gaps.

/** Format-specific facts (codec, frameRate, sampleRate...); their keys and labels live in shared/facts.ts. */
export type MediaFacts = Facts;

export interface MediaTags {
  date: CaptureDate | null;
  make: string | null;
  model: string | null;
  title: string | null;
  description: string | null;
  creator: string | null;
  copyright: string | null;
  keywords: string[];
  gps: Gps | null;
  /** The picture as stored (before any rotation a player applies). */
  width: number | null;
  height: number | null;
  durationS: number | null;
  facts: MediaFacts;
  /** XMP packets found in the container (a 'uuid' box, an 'XMP_' atom, an ID3 PRIV frame). */
  xmp: string[];
}

export function emptyTags(): MediaTags {
  return {
    date: null,
    make: null,
    model: null,
    title: null,
    description: null,
    creator: null,
    copyright: null,
    keywords: [],
    gps: null,
    width: null,
    height: null,
    durationS: null,
    facts: {},
    xmp: [],
  };
}

/** Keywords from a list or one comma/semicolon-separated string, cleaned and without repeats. */
export function keywordList(values: unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    for (const part of typeof v === 'string' ? v.split(/[,;]/) : []) {
      const k = cleanText(part);
      if (k && !seen.has(k.toLocaleLowerCase())) {
        seen.add(k.toLocaleLowerCase());
        out.push(k);
      }
    }
  }
  return out;
}

/** A positive finite number, else null (a zero duration or size means "not recorded"). */
export function positiveOrNull(n: number | null | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** Sets a fact only when it has a value worth showing. */
export function setFact(
  facts: MediaFacts,
  key: keyof Facts,
  value: string | number | null | undefined,
): void {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) facts[key] = Math.round(value * 1000) / 1000;
  } else if (typeof value === 'string') {
    const s = cleanText(value);
    if (s) facts[key] = s;
  }
}

export interface MediaMetadata {
  /** With the facts in `metadata.facts`. */
  metadata: FileMetadata;
  durationS: number | null;
}

export function fromMediaTags(tags: MediaTags): MediaMetadata {
  const empty: ExifTags = { main: new Map(), gps: new Map(), errors: [] };
  const fromXmp = tags.xmp.length
    ? normalize({ exif: empty, xmp: parseXmp(tags.xmp), iptc: new Map(), width: null, height: null })
    : emptyMetadata();
  const m: FileMetadata = { ...fromXmp };
  if (tags.date) {
    m.captureDate = tags.date.iso;
    m.captureTs = tags.date.ts;
    m.tzOffsetMin = tags.date.offsetMin;
  }
  m.make = cleanText(tags.make) ?? m.make;
  m.model = cleanText(tags.model) ?? m.model;
  m.title = cleanText(tags.title) ?? m.title;
  m.description = cleanText(tags.description) ?? m.description;
  m.creator = cleanText(tags.creator) ?? m.creator;
  m.copyright = cleanText(tags.copyright) ?? m.copyright;
  if (tags.keywords.length) m.keywords = tags.keywords;
  m.gps = tags.gps ?? m.gps;
  m.width = positiveOrNull(tags.width) ?? m.width;
  m.height = positiveOrNull(tags.height) ?? m.height;
  m.facts = cleanFacts(tags.facts);
  return { metadata: m, durationS: positiveOrNull(tags.durationS) };
}
