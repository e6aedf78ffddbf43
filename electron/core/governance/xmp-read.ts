import { APPROVAL_STATES, type ApprovalState } from '../../../shared/governance';
import type { ApprovalLogEntry, ApprovalValue } from './approvals';
import { canonical, FIELDS, type FieldName, type FieldValue } from './fields';
import type { ConflictRecord } from './change-log.repository';
import { parseClock, type Stamp } from './stamps';
import {
  attrOf,
  elementsOf,
  parseXml,
  textOf,
  XML_NS,
  XmlError,
  type XmlAttr,
  type XmlElement,
} from '../xml/reader';
import { isManaged, licenseFromUrl, NS, releaseFromCode } from './xmp-ns';
import type { NamedRegion } from '../../../shared/people';
import { readFaceRegions } from '../ingest/metadata/face-regions';
import { cropProblem, isCropAspect } from '../../../shared/crops';
import type { CropRow } from '../catalog/crops.repository';
import { parseXmp } from '../ingest/metadata/xmp';

/** An RDF property value: simple text, an array (Bag/Seq/Alt) or a struct. */
export type Prop =
  | { kind: 'text'; text: string }
  | { kind: 'array'; items: { value: Prop; lang: string | null }[] }
  | { kind: 'struct'; fields: Map<string, Prop> };

/** Stamp as a sidecar carries it, with the fingerprint of the value written alongside. */
export interface SidecarStamp extends Stamp {
  hash: string | null;
}

/** What a sidecar says about the fields we manage, plus everything else in it, kept for writing back. */
export interface SidecarData {
  /** Only fields the sidecar has a property for; a missing field means "no information". */
  values: Partial<Record<FieldName, FieldValue>>;
  approval: ApprovalValue | null | undefined;
  stamps: Map<string, SidecarStamp>;
  conflicts: ConflictRecord[];
  approvalLog: ApprovalLogEntry[];
  foreign: ForeignBlock[];
  /** Named faces (MWG or Windows Photo regions); null when the sidecar has no face regions. */
  regions: NamedRegion[] | null;
  /** Per-aspect crops (tessera:Crops), cleared ones with a null box; empty when it has none. */
  crops: CropRow[];
}

/** Properties of one rdf:Description that we do not manage, with the namespaces they were written under. */
export interface ForeignBlock {
  scope: [prefix: string, uri: string][];
  attrs: XmlAttr[];
  children: XmlElement[];
}

export { XmlError as SidecarParseError };

function isRdf(el: XmlElement, local: string): boolean {
  return el.ns === NS.rdf && el.local === local;
}

function propertyAttrs(el: XmlElement): XmlAttr[] {
  return el.attrs.filter((a) => a.ns !== 'xmlns' && a.ns !== NS.rdf && a.ns !== XML_NS && a.ns !== '');
}

function structOf(node: XmlElement): Prop {
  const fields = new Map<string, Prop>();
  for (const a of propertyAttrs(node))
    if (!fields.has(a.ns + a.local)) fields.set(a.ns + a.local, { kind: 'text', text: a.value });
  for (const c of elementsOf(node)) if (!fields.has(c.ns + c.local)) fields.set(c.ns + c.local, propValue(c));
  return { kind: 'struct', fields };
}

function propValue(el: XmlElement): Prop {
  const resource = attrOf(el, NS.rdf, 'resource');
  if (resource !== null) return { kind: 'text', text: resource };
  if (attrOf(el, NS.rdf, 'parseType') === 'Resource') return structOf(el);
  const kids = elementsOf(el);
  const first = kids[0];
  if (!first) return propertyAttrs(el).length ? structOf(el) : { kind: 'text', text: textOf(el) };
  if (isRdf(first, 'Bag') || isRdf(first, 'Seq') || isRdf(first, 'Alt')) {
    return {
      kind: 'array',
      items: elementsOf(first)
        .filter((li) => isRdf(li, 'li'))
        .map((li) => ({ value: propValue(li), lang: attrOf(li, XML_NS, 'lang') })),
    };
  }
  if (isRdf(first, 'Description')) return structOf(first);
  return structOf(el);
}

function text(p: Prop | undefined): string | null {
  if (!p) return null;
  if (p.kind === 'text') return p.text;
  if (p.kind === 'array') {
    const item = p.items.find((it) => it.lang?.toLowerCase() === 'x-default') ?? p.items[0];
    return item ? text(item.value) : null;
  }
  return text(p.fields.get(NS.rdf + 'value'));
}

function list(p: Prop | undefined): string[] {
  if (!p) return [];
  if (p.kind === 'array') return p.items.map((it) => text(it.value)).filter((v): v is string => v !== null);
  const t = text(p);
  return t === null ? [] : [t];
}

function structs(p: Prop | undefined): Map<string, Prop>[] {
  if (!p) return [];
  const items = p.kind === 'array' ? p.items.map((it) => it.value) : [p];
  return items
    .filter((v): v is Extract<Prop, { kind: 'struct' }> => v.kind === 'struct')
    .map((v) => v.fields);
}

class Props {
  constructor(private readonly map: Map<string, Prop>) {}
  has(ns: string, local: string): boolean {
    return this.map.has(ns + local);
  }
  get(ns: string, local: string): Prop | undefined {
    return this.map.get(ns + local);
  }
  text(ns: string, local: string): string | null {
    return text(this.get(ns, local));
  }
  list(ns: string, local: string): string[] {
    return list(this.get(ns, local));
  }
  structs(ns: string, local: string): Map<string, Prop>[] {
    return structs(this.get(ns, local));
  }
}

const T = (f: Map<string, Prop>, local: string) => text(f.get(NS.tessera + local));
const splitList = (s: string | null) => (s ? s.split(/\s*[,;]\s*/) : []);

/** Where each field is read from, and whether the sidecar speaks about it at all. */
const READERS: Record<FieldName, { present: (p: Props) => boolean; read: (p: Props) => unknown }> = {
  title: { present: (p) => p.has(NS.dc, 'title'), read: (p) => p.text(NS.dc, 'title') },
  description: { present: (p) => p.has(NS.dc, 'description'), read: (p) => p.text(NS.dc, 'description') },
  rating: { present: (p) => p.has(NS.xmp, 'Rating'), read: (p) => p.text(NS.xmp, 'Rating') },
  label: { present: (p) => p.has(NS.xmp, 'Label'), read: (p) => p.text(NS.xmp, 'Label') },
  flag: { present: (p) => p.has(NS.tessera, 'Flag'), read: (p) => p.text(NS.tessera, 'Flag') },
  keywords: { present: (p) => p.has(NS.dc, 'subject'), read: (p) => p.list(NS.dc, 'subject') },
  altText: {
    present: (p) => p.has(NS.Iptc4xmpCore, 'AltTextAccessibility'),
    read: (p) => p.text(NS.Iptc4xmpCore, 'AltTextAccessibility'),
  },
  extendedDescription: {
    present: (p) => p.has(NS.Iptc4xmpCore, 'ExtDescrAccessibility'),
    read: (p) => p.text(NS.Iptc4xmpCore, 'ExtDescrAccessibility'),
  },
  creator: { present: (p) => p.has(NS.dc, 'creator'), read: (p) => p.list(NS.dc, 'creator').join('; ') },
  credit: { present: (p) => p.has(NS.photoshop, 'Credit'), read: (p) => p.text(NS.photoshop, 'Credit') },
  copyrightNotice: { present: (p) => p.has(NS.dc, 'rights'), read: (p) => p.text(NS.dc, 'rights') },
  copyrightOwner: {
    present: (p) => p.has(NS.plus, 'CopyrightOwner'),
    read: (p) =>
      p
        .structs(NS.plus, 'CopyrightOwner')
        .map((s) => text(s.get(NS.plus + 'CopyrightOwnerName')))
        .filter(Boolean)
        .join('; '),
  },
  licensor: {
    present: (p) => p.has(NS.plus, 'Licensor'),
    read: (p) =>
      p
        .structs(NS.plus, 'Licensor')
        .map((s) => text(s.get(NS.plus + 'LicensorName')))
        .filter(Boolean)
        .join('; '),
  },
  licenseType: {
    present: (p) =>
      p.has(NS.tessera, 'LicenseType') || p.has(NS.cc, 'license') || p.has(NS.xmpRights, 'WebStatement'),
    read: (p) =>
      p.text(NS.tessera, 'LicenseType') ??
      licenseFromUrl(p.text(NS.cc, 'license')) ??
      licenseFromUrl(p.text(NS.xmpRights, 'WebStatement')),
  },
  usageTerms: {
    present: (p) => p.has(NS.xmpRights, 'UsageTerms'),
    read: (p) => p.text(NS.xmpRights, 'UsageTerms'),
  },
  channels: {
    present: (p) => p.has(NS.tessera, 'Channels') || p.has(NS.plus, 'MediaConstraints'),
    read: (p) =>
      p.has(NS.tessera, 'Channels')
        ? p.list(NS.tessera, 'Channels')
        : splitList(p.text(NS.plus, 'MediaConstraints')).map((s) => s.toLowerCase()),
  },
  territories: {
    present: (p) => p.has(NS.tessera, 'Territories') || p.has(NS.plus, 'RegionConstraints'),
    read: (p) =>
      p.has(NS.tessera, 'Territories')
        ? p.list(NS.tessera, 'Territories')
        : splitList(p.text(NS.plus, 'RegionConstraints')),
  },
  licenseStart: {
    present: (p) => p.has(NS.plus, 'LicenseStartDate'),
    read: (p) => p.text(NS.plus, 'LicenseStartDate'),
  },
  licenseEnd: {
    present: (p) => p.has(NS.plus, 'LicenseEndDate'),
    read: (p) => p.text(NS.plus, 'LicenseEndDate'),
  },
  modelRelease: {
    present: (p) => p.has(NS.plus, 'ModelReleaseStatus'),
    read: (p) => releaseFromCode(p.text(NS.plus, 'ModelReleaseStatus')),
  },
  propertyRelease: {
    present: (p) => p.has(NS.plus, 'PropertyReleaseStatus'),
    read: (p) => releaseFromCode(p.text(NS.plus, 'PropertyReleaseStatus')),
  },
  restrictions: {
    present: (p) => p.has(NS.plus, 'OtherConstraints'),
    read: (p) => p.text(NS.plus, 'OtherConstraints'),
  },
};

function state(s: string | null): ApprovalState | null {
  return s && (APPROVAL_STATES as readonly string[]).includes(s) ? (s as ApprovalState) : null;
}

function time(s: string | null): number | null {
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : null;
}

function json(s: string | null): unknown {
  if (s == null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

function readApproval(p: Props): ApprovalValue | null | undefined {
  if (!p.has(NS.tessera, 'ApprovalState')) return undefined;
  const s = state(p.text(NS.tessera, 'ApprovalState'));
  const at = time(p.text(NS.tessera, 'ApprovalDate'));
  if (!s || at === null) return null;
  return {
    state: s,
    actor: p.text(NS.tessera, 'ApprovalActor') ?? 'unknown',
    machine: p.text(NS.tessera, 'ApprovalMachine') ?? 'unknown',
    at,
    comment: p.text(NS.tessera, 'ApprovalComment') || null,
    version: p.text(NS.tessera, 'ApprovalVersion') || null,
  };
}

function readStamps(p: Props): Map<string, SidecarStamp> {
  const out = new Map<string, SidecarStamp>();
  for (const s of p.structs(NS.tessera, 'FieldStamps')) {
    const field = T(s, 'Field');
    const clock = parseClock(T(s, 'Clock'));
    const at = time(T(s, 'Modified'));
    if (!field || !clock || at === null) continue;
    out.set(field, {
      clock,
      at,
      origin: T(s, 'Origin') ?? '',
      actor: T(s, 'Actor') ?? 'unknown',
      machine: T(s, 'Machine') ?? 'unknown',
      hash: T(s, 'Hash'),
    });
  }
  return out;
}

function readConflicts(p: Props): ConflictRecord[] {
  return p.structs(NS.tessera, 'Conflicts').flatMap((s) => {
    const id = T(s, 'Id');
    const field = T(s, 'Field');
    const at = time(T(s, 'Modified'));
    if (!id || !field || at === null) return [];
    return [
      {
        id,
        field,
        lost: json(T(s, 'LostValue')),
        kept: json(T(s, 'KeptValue')),
        at,
        actor: T(s, 'Actor') ?? 'unknown',
        machine: T(s, 'Machine') ?? 'unknown',
      },
    ];
  });
}

function readApprovalLog(p: Props): ApprovalLogEntry[] {
  return p.structs(NS.tessera, 'ApprovalHistory').flatMap((s) => {
    const uid = T(s, 'Id');
    const from = state(T(s, 'From'));
    const to = state(T(s, 'To'));
    const at = time(T(s, 'Date'));
    if (!uid || !from || !to || at === null) return [];
    return [
      {
        uid,
        from,
        to,
        at,
        actor: T(s, 'Actor') ?? 'unknown',
        machine: T(s, 'Machine') ?? 'unknown',
        comment: T(s, 'Comment') || null,
        version: T(s, 'Version') || null,
      },
    ];
  });
}

function readCrops(p: Props): CropRow[] {
  const seen = new Set<string>();
  return p.structs(NS.tessera, 'Crops').flatMap((s): CropRow[] => {
    const aspect = T(s, 'Aspect');
    const at = time(T(s, 'Modified'));
    if (!isCropAspect(aspect) || at === null || seen.has(aspect)) return [];
    seen.add(aspect);
    const [x, y, w, h] = ['X', 'Y', 'W', 'H'].map((k) => Number(T(s, k) ?? NaN)) as [
      number,
      number,
      number,
      number,
    ];
    const box = { x, y, w, h };
    // A box that is no box (missing, out of the picture) reads as cleared: never a crash, never garbage.
    return [{ aspect, at, box: cropProblem('free', box, 0, 0) === null ? box : null }];
  });
}

function findRdf(el: XmlElement, depth = 0): XmlElement | null {
  if (isRdf(el, 'RDF')) return el;
  if (depth > 4) return null;
  for (const c of elementsOf(el)) {
    const found = findRdf(c, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Parse a sidecar; throws SidecarParseError when it is not well-formed XMP (it is then left alone). */
export function readSidecar(xml: string): SidecarData {
  const rdf = findRdf(parseXml(xml));
  if (!rdf) throw new XmlError('no rdf:RDF element: not an XMP packet');
  const map = new Map<string, Prop>();
  const foreign: ForeignBlock[] = [];
  for (const node of elementsOf(rdf)) {
    const keptAttrs: XmlAttr[] = [];
    const keptChildren: XmlElement[] = [];
    for (const a of propertyAttrs(node)) {
      if (!map.has(a.ns + a.local)) map.set(a.ns + a.local, { kind: 'text', text: a.value });
      if (!isManaged(a.ns, a.local)) keptAttrs.push(a);
    }
    for (const c of elementsOf(node)) {
      if (!map.has(c.ns + c.local)) map.set(c.ns + c.local, propValue(c));
      if (!isManaged(c.ns, c.local)) keptChildren.push(c);
    }
    if (keptAttrs.length || keptChildren.length)
      foreign.push({
        scope: [...node.scope.entries()].filter(([p]) => p !== 'xml'),
        attrs: keptAttrs,
        children: keptChildren,
      });
  }
  const p = new Props(map);
  const values: SidecarData['values'] = {};
  for (const f of FIELDS) {
    const r = READERS[f];
    if (r.present(p)) (values as Record<string, unknown>)[f] = canonical(f, r.read(p));
  }
  return {
    values,
    approval: readApproval(p),
    stamps: readStamps(p),
    conflicts: readConflicts(p),
    approvalLog: readApprovalLog(p),
    foreign,
    // The same region reader as for the XMP inside files (the text is already known well-formed).
    regions: readFaceRegions(parseXmp([xml])),
    crops: readCrops(p),
  };
}
