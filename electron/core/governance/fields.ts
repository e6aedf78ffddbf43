import crypto from 'node:crypto';
import {
  CHANNELS,
  LICENSE_TYPES,
  RELEASE_STATUSES,
  type Channel,
  type Rights,
} from '../../../shared/governance';
import { LABELS, FLAGS } from '../../../shared/contract';
import { cleanText } from '../ingest/metadata/text';

export const RIGHTS_FIELDS = [
  'creator',
  'credit',
  'copyrightNotice',
  'copyrightOwner',
  'licensor',
  'licenseType',
  'usageTerms',
  'channels',
  'territories',
  'licenseStart',
  'licenseEnd',
  'modelRelease',
  'propertyRelease',
  'restrictions',
] as const satisfies readonly (keyof Rights)[];

/**
 * Every field a person governs, as one flat record: the unit of editing, of history, of sidecar
 * merging. Each value has one canonical form, so that "did it change?" is a plain comparison and a
 * value survives a round trip through XMP unchanged.
 */
export const FIELDS = [
  'title',
  'description',
  'rating',
  'label',
  'flag',
  'keywords',
  'altText',
  'extendedDescription',
  ...RIGHTS_FIELDS,
] as const;
export type FieldName = (typeof FIELDS)[number];

export const LIST_FIELDS = ['keywords', 'channels', 'territories'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/** Rights as the contract spells them, plus the library's own fields and the accessibility text. */
export interface FieldValues extends Rights {
  title: string | null;
  description: string | null;
  rating: number | null;
  label: string | null;
  flag: string | null;
  keywords: string[];
  altText: string | null;
  extendedDescription: string | null;
}
export type FieldValue = FieldValues[FieldName];

export function isField(name: string): name is FieldName {
  return (FIELDS as readonly string[]).includes(name);
}

export function isListField(name: string): name is ListField {
  return (LIST_FIELDS as readonly string[]).includes(name);
}

function oneOf<T extends string>(list: readonly T[], v: unknown): T | null {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : null;
  return s && (list as readonly string[]).includes(s) ? (s as T) : null;
}

function uniqueList(v: unknown, normalise: (s: string) => string | null): string[] {
  const items = Array.isArray(v) ? v : [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const s = normalise(String(item ?? ''));
    if (!s || seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    out.push(s);
  }
  return out;
}

function isoDate(v: unknown): string | null {
  const s = typeof v === 'string' ? v.trim() : '';
  const m = /^(\d{4})[-:](\d{2})[-:](\d{2})(?:$|[T ])/.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const out = `${m[1]}-${m[2]}-${m[3]}`;
  return d.toISOString().slice(0, 10) === out ? out : null;
}

/** The canonical form of any value for a field; anything unusable becomes "no value". */
export function canonical<K extends FieldName>(field: K, v: unknown): FieldValues[K] {
  const out = ((): FieldValue => {
    switch (field) {
      case 'rating': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
        // 0 is "no stars" and -1 is Lightroom's reject: neither is a rating.
        return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
      }
      case 'label':
        return oneOf(LABELS, v);
      case 'flag':
        return oneOf(FLAGS, v);
      case 'licenseType':
        return oneOf(LICENSE_TYPES, v);
      case 'modelRelease':
      case 'propertyRelease':
        return oneOf(RELEASE_STATUSES, v);
      case 'licenseStart':
      case 'licenseEnd':
        return isoDate(v);
      case 'keywords':
      case 'territories':
        return uniqueList(v, cleanText);
      case 'channels':
        return uniqueList(v, (s) => oneOf(CHANNELS, s)).sort(
          (a, b) => CHANNELS.indexOf(a as Channel) - CHANNELS.indexOf(b as Channel),
        );
      default:
        // XML readers turn CR LF into LF: store text that way so a round trip changes nothing.
        return cleanText(typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);
    }
  })();
  return out as FieldValues[K];
}

export function emptyValue<K extends FieldName>(field: K): FieldValues[K] {
  return canonical(field, isListField(field) ? [] : null);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function isEmptyValue(v: unknown): boolean {
  return v == null || (Array.isArray(v) && v.length === 0);
}

/** A short fingerprint of a value: the sidecar carries it to tell our writes from other tools' edits. */
export function valueHash(v: unknown): string {
  return crypto
    .createHash('sha1')
    .update(JSON.stringify(v ?? null))
    .digest('hex')
    .slice(0, 12);
}
