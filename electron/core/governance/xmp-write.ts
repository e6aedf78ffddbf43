import type { ApprovalLogEntry, ApprovalValue } from './approvals';
import { FIELDS, isEmptyValue, valueHash, type FieldName, type FieldValues } from './fields';
import type { ConflictRecord } from './change-log.repository';
import { clockText, type Stamp } from './stamps';
import { escapeAttr, escapeText, serializeElement } from '../xml/write';
import { ccUrl, NS, releaseCode, type Prefix } from './xmp-ns';
import type { ForeignBlock } from './xmp-read';
import { regionProps, withoutRegions, type FacesInXmp } from './xmp-regions';
import { hierarchyProps } from './xmp-hierarchy';
import type { CropRow } from '../catalog/crops.repository';

/** Everything a sidecar says on our behalf. */
export interface SidecarContent {
  values: FieldValues;
  approval: ApprovalValue | null;
  stamps: Map<string, Stamp>;
  conflicts: ConflictRecord[];
  approvalLog: ApprovalLogEntry[];
  /**
   * The named faces, when the catalogue knows the asset's faces: they replace whatever regions the
   * sidecar held (read in before). Absent: the sidecar's own regions are kept as they are.
   */
  faces?: FacesInXmp;
  /** Keyword paths of accepted auto-tags (`Objects|bus`), for lr:hierarchicalSubject. */
  hierarchy?: string[];
  /** Per-aspect crops, cleared ones too (with the time they were cleared), for tessera:Crops. */
  crops?: CropRow[];
}

const I = '   ';

function simple(q: string, v: string): string {
  return `${I}<${q}>${escapeText(v)}</${q}>`;
}

function alt(q: string, v: string): string {
  return `${I}<${q}>\n${I} <rdf:Alt>\n${I}  <rdf:li xml:lang="x-default">${escapeText(v)}</rdf:li>\n${I} </rdf:Alt>\n${I}</${q}>`;
}

function array(q: string, kind: 'Bag' | 'Seq', items: string[]): string {
  const lis = items.map((v) => `${I}  <rdf:li>${escapeText(v)}</rdf:li>\n`).join('');
  return `${I}<${q}>\n${I} <rdf:${kind}>\n${lis}${I} </rdf:${kind}>\n${I}</${q}>`;
}

/** An array of structs (rdf:parseType="Resource"), fields with null values left out. */
function structs(q: string, kind: 'Bag' | 'Seq', items: [string, string | null][][]): string {
  const lis = items
    .map((fields) => {
      const body = fields
        .filter((f): f is [string, string] => f[1] !== null)
        .map(([k, v]) => `${I}   <${k}>${escapeText(v)}</${k}>\n`)
        .join('');
      return `${I}  <rdf:li rdf:parseType="Resource">\n${body}${I}  </rdf:li>\n`;
    })
    .join('');
  return `${I}<${q}>\n${I} <rdf:${kind}>\n${lis}${I} </rdf:${kind}>\n${I}</${q}>`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const LABEL_NAMES: Record<string, string> = {
  red: 'Red',
  yellow: 'Yellow',
  green: 'Green',
  blue: 'Blue',
  purple: 'Purple',
};

/** The XMP properties for one field's value (nothing for an empty value). */
function fieldProps(f: FieldName, v: FieldValues): string[] {
  switch (f) {
    case 'title':
      return v.title ? [alt('dc:title', v.title)] : [];
    case 'description':
      return v.description ? [alt('dc:description', v.description)] : [];
    case 'rating':
      return v.rating ? [simple('xmp:Rating', String(v.rating))] : [];
    case 'label':
      return v.label ? [simple('xmp:Label', LABEL_NAMES[v.label] ?? v.label)] : [];
    case 'flag':
      return v.flag ? [simple('tessera:Flag', v.flag)] : [];
    case 'keywords':
      return v.keywords.length ? [array('dc:subject', 'Bag', v.keywords)] : [];
    case 'altText':
      return v.altText ? [alt('Iptc4xmpCore:AltTextAccessibility', v.altText)] : [];
    case 'extendedDescription':
      return v.extendedDescription ? [alt('Iptc4xmpCore:ExtDescrAccessibility', v.extendedDescription)] : [];
    case 'creator':
      return v.creator ? [array('dc:creator', 'Seq', [v.creator])] : [];
    case 'credit':
      return v.credit ? [simple('photoshop:Credit', v.credit)] : [];
    case 'copyrightNotice':
      return v.copyrightNotice ? [alt('dc:rights', v.copyrightNotice)] : [];
    case 'copyrightOwner':
      return v.copyrightOwner
        ? [structs('plus:CopyrightOwner', 'Seq', [[['plus:CopyrightOwnerName', v.copyrightOwner]]])]
        : [];
    case 'licensor':
      return v.licensor ? [structs('plus:Licensor', 'Seq', [[['plus:LicensorName', v.licensor]]])] : [];
    case 'licenseType': {
      const t = v.licenseType;
      if (!t) return [];
      const url = ccUrl(t);
      const marked = t === 'cc0' || t === 'public-domain' ? 'False' : 'True';
      return [
        simple('tessera:LicenseType', t),
        simple('xmpRights:Marked', marked),
        ...(url
          ? [simple('xmpRights:WebStatement', url), `${I}<cc:license rdf:resource="${escapeAttr(url)}"/>`]
          : []),
      ];
    }
    case 'usageTerms':
      return v.usageTerms ? [alt('xmpRights:UsageTerms', v.usageTerms)] : [];
    case 'channels':
      return v.channels.length
        ? [array('tessera:Channels', 'Bag', v.channels), alt('plus:MediaConstraints', v.channels.join(', '))]
        : [];
    case 'territories':
      return v.territories.length
        ? [
            array('tessera:Territories', 'Bag', v.territories),
            alt('plus:RegionConstraints', v.territories.join(', ')),
          ]
        : [];
    case 'licenseStart':
      return v.licenseStart ? [simple('plus:LicenseStartDate', v.licenseStart)] : [];
    case 'licenseEnd':
      return v.licenseEnd ? [simple('plus:LicenseEndDate', v.licenseEnd)] : [];
    case 'modelRelease':
      return v.modelRelease ? [simple('plus:ModelReleaseStatus', releaseCode('model', v.modelRelease))] : [];
    case 'propertyRelease':
      return v.propertyRelease
        ? [simple('plus:PropertyReleaseStatus', releaseCode('property', v.propertyRelease))]
        : [];
    case 'restrictions':
      return v.restrictions ? [alt('plus:OtherConstraints', v.restrictions)] : [];
  }
}

function approvalProps(a: ApprovalValue | null): string[] {
  if (!a) return [];
  return [
    simple('tessera:ApprovalState', a.state),
    simple('tessera:ApprovalActor', a.actor),
    simple('tessera:ApprovalMachine', a.machine),
    simple('tessera:ApprovalDate', iso(a.at)),
    ...(a.comment ? [simple('tessera:ApprovalComment', a.comment)] : []),
    ...(a.version ? [simple('tessera:ApprovalVersion', a.version)] : []),
  ];
}

function stampOf(field: string, s: Stamp, hash: string): [string, string | null][] {
  return [
    ['tessera:Field', field],
    ['tessera:Clock', clockText(s.clock)],
    ['tessera:Modified', iso(s.at)],
    ['tessera:Origin', s.origin],
    ['tessera:Actor', s.actor],
    ['tessera:Machine', s.machine],
    ['tessera:Hash', hash],
  ];
}

function foreignBlock(b: ForeignBlock): string {
  const decls = b.scope
    .filter(([p]) => p !== 'rdf')
    .map(([p, uri]) => ` xmlns${p ? `:${p}` : ''}="${escapeAttr(uri)}"`)
    .join('');
  const attrs = b.attrs.map((a) => `\n   ${a.qname}="${escapeAttr(a.value)}"`).join('');
  const children = b.children.map((c) => `\n${serializeElement(c, I)}`).join('');
  return `  <rdf:Description rdf:about=""${decls}${attrs}>${children}\n  </rdf:Description>\n`;
}

/**
 * tessera:Crops, a Bag of one struct per aspect: tessera:Aspect (1:1, 4:5, 16:9, free),
 * tessera:Modified, and the box tessera:X, Y, W, H as fractions of the upright picture (left out
 * when the crop was cleared: the time still says a clear is newer than another catalogue's set).
 */
function cropProps(crops: CropRow[]): string {
  const n = (v: number) => String(Math.round(v * 1e6) / 1e6);
  return structs(
    'tessera:Crops',
    'Bag',
    crops.map((c) => [
      ['tessera:Aspect', c.aspect],
      ['tessera:Modified', iso(c.at)],
      ['tessera:X', c.box ? n(c.box.x) : null],
      ['tessera:Y', c.box ? n(c.box.y) : null],
      ['tessera:W', c.box ? n(c.box.w) : null],
      ['tessera:H', c.box ? n(c.box.h) : null],
    ]),
  );
}

/**
 * A complete XMP sidecar: our properties in one rdf:Description under the standard prefixes, then
 * whatever else the sidecar held (another application's settings), kept as it was.
 */
export function writeSidecar(c: SidecarContent, foreign: ForeignBlock[] = []): string {
  const props: string[] = [];
  const stamps: [string, string | null][][] = [];
  for (const f of FIELDS) {
    const stamp = c.stamps.get(f);
    const v = c.values[f];
    props.push(...fieldProps(f, c.values));
    // Empty values are written only as a stamp, when someone emptied the field on purpose.
    if (!isEmptyValue(v) || (stamp && Object.keys(stamp.clock).length))
      stamps.push(
        stampOf(f, stamp ?? { clock: {}, at: 0, origin: '', actor: '', machine: '' }, valueHash(v)),
      );
  }
  if (c.faces) {
    props.push(...regionProps(c.faces));
    foreign = withoutRegions(foreign);
  }
  if (c.hierarchy) {
    const h = hierarchyProps(c.hierarchy, foreign, c.values.keywords);
    props.push(...h.props);
    foreign = h.foreign;
  }
  if (c.crops?.length) props.push(cropProps(c.crops));
  props.push(...approvalProps(c.approval));
  const approvalStamp = c.stamps.get('approval');
  if (approvalStamp) stamps.push(stampOf('approval', approvalStamp, valueHash(c.approval)));
  if (stamps.length) props.push(structs('tessera:FieldStamps', 'Bag', stamps));
  if (c.approvalLog.length)
    props.push(
      structs(
        'tessera:ApprovalHistory',
        'Seq',
        c.approvalLog.map((e) => [
          ['tessera:Id', e.uid],
          ['tessera:From', e.from],
          ['tessera:To', e.to],
          ['tessera:Actor', e.actor],
          ['tessera:Machine', e.machine],
          ['tessera:Date', iso(e.at)],
          ['tessera:Comment', e.comment],
          ['tessera:Version', e.version],
        ]),
      ),
    );
  if (c.conflicts.length)
    props.push(
      structs(
        'tessera:Conflicts',
        'Seq',
        c.conflicts.map((k) => [
          ['tessera:Id', k.id],
          ['tessera:Field', k.field],
          ['tessera:LostValue', JSON.stringify(k.lost ?? null)],
          ['tessera:KeptValue', JSON.stringify(k.kept ?? null)],
          ['tessera:Modified', iso(k.at)],
          ['tessera:Actor', k.actor],
          ['tessera:Machine', k.machine],
        ]),
      ),
    );
  return packet(props, foreign) + '\n';
}

/** One rdf:Description of ours under the prefixes it uses, then the foreign ones, in an xpacket. */
function packet(props: string[], foreign: ForeignBlock[]): string {
  const used = (Object.keys(NS) as Prefix[]).filter(
    (p) => p !== 'rdf' && p !== 'x' && props.some((line) => line.includes(`<${p}:`)),
  );
  const decls = used.map((p) => `\n    xmlns:${p}="${NS[p]}"`).join('');
  return (
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Tessera">\n` +
    ` <rdf:RDF xmlns:rdf="${NS.rdf}">\n` +
    `  <rdf:Description rdf:about=""${decls}>\n${props.join('\n')}${props.length ? '\n' : ''}  </rdf:Description>\n` +
    foreign.map(foreignBlock).join('') +
    ` </rdf:RDF>\n` +
    `</x:xmpmeta>\n` +
    `<?xpacket end="w"?>`
  );
}

/**
 * The packet embedded in an original (JPEG, TIFF, DNG): the standard properties only, for other
 * applications and the web. Stamps, the approval and its history stay in the sidecar, so embedding
 * never depends on (nor loops on) the file's own content hash.
 */
export function writeEmbeddedXmp(
  values: FieldValues,
  foreign: ForeignBlock[] = [],
  faces?: FacesInXmp,
): string {
  const props = FIELDS.flatMap((f) => fieldProps(f, values)).filter((p) => !p.includes('<tessera:'));
  if (faces) {
    props.push(...regionProps(faces));
    foreign = withoutRegions(foreign);
  }
  return packet(props, foreign);
}
