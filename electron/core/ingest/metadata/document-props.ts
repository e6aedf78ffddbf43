import { LIMITS } from '../../formats/limits';
import type { Facts } from '../../../../shared/facts';
import { parseXmpDate, type CaptureDate } from './dates';
import type { ExifTags } from './exif';
import type { FileMetadata } from './file-metadata';
import { normalize } from './normalize';
import { cleanText } from './text';
import { parseXmp } from './xmp';

// What documents (PDF, EPS, InDesign, Office, RTF) say about themselves in their own property
// fields, merged under what their XMP says: XMP is where editors keep the current values (Acrobat,
// Illustrator and exiftool write both and keep them in step; XMP wins where they differ).

export interface DocumentProps {
  title?: string | null;
  description?: string | null;
  creator?: string | null;
  keywords?: string[];
  created?: CaptureDate | null;
  width?: number | null;
  height?: number | null;
  facts?: Facts;
  /** The words inside, already bounded (see LIMITS.documentTextChars). */
  text?: string | null;
}

/** A keywords field as documents store it: one string, split on commas or semicolons. */
export function splitKeywords(v: unknown): string[] {
  const s = cleanText(v);
  if (!s) return [];
  return s
    .split(/[,;]/)
    .map((k) => cleanText(k))
    .filter((k): k is string => k !== null);
}

/** "D:20240501120304+02'00'" (PDF and EPS) as a capture date; any prefix after the year may be left out. */
export function parsePdfDate(raw: unknown): CaptureDate | null {
  const s = cleanText(raw);
  if (!s) return null;
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?/.exec(s);
  if (!m) return parseXmpDate(s); // some writers put an ISO or EXIF-style date here
  let iso = m[1]!;
  if (m[2]) iso += `-${m[2]}`;
  if (m[2] && m[3]) iso += `-${m[3]}`;
  if (m[3] && m[4]) iso += `T${m[4]}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
  // "Z00'00'" is UTC written the long way; an offset means something only with a time.
  if (m[4]) {
    if (m[7]) iso += 'Z';
    else if (m[8]) iso += `${m[8]}${m[9]}:${m[10] ?? '00'}`;
  }
  return parseXmpDate(iso);
}

/** Runs of spaces and blank lines collapsed, cut at the limit (on a word boundary). */
export function tidyText(raw: string): string {
  let s = raw
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
  if (s.length > LIMITS.documentTextChars) {
    s = s.slice(0, LIMITS.documentTextChars);
    const cut = s.search(/\s\S*$/);
    if (cut > 0) s = s.slice(0, cut);
  }
  return s.normalize('NFC');
}

const NO_EXIF: ExifTags = { main: new Map(), gps: new Map(), errors: [] };

/** One FileMetadata from a document's XMP packets and its own properties (used where XMP is silent). */
export function documentMetadata(props: DocumentProps, xmpPackets: string[] = []): FileMetadata {
  const m = normalize({
    exif: NO_EXIF,
    xmp: parseXmp(xmpPackets),
    iptc: new Map(),
    width: props.width ?? null,
    height: props.height ?? null,
  });
  m.title ??= cleanText(props.title);
  m.description ??= cleanText(props.description);
  m.creator ??= cleanText(props.creator);
  if (!m.keywords.length && props.keywords) {
    const seen = new Set<string>();
    m.keywords = props.keywords.filter((k) => {
      const key = k.toLocaleLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (!m.captureDate && props.created) {
    m.captureDate = props.created.iso;
    m.captureTs = props.created.ts;
    m.tzOffsetMin = props.created.offsetMin;
  }
  m.facts = { ...props.facts };
  if (props.text) m.text = props.text;
  return m;
}
