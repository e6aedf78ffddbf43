import type { LicenseType, ReleaseStatus } from '../../../shared/governance';

import { NS, type Prefix } from '../xml/namespaces';

export { NS, type Prefix };

/** Properties this product writes (all of the tessera namespace too): others are kept as found. */
export const MANAGED = new Set(
  (
    [
      ['dc', 'title'],
      ['dc', 'description'],
      ['dc', 'subject'],
      ['dc', 'creator'],
      ['dc', 'rights'],
      ['xmp', 'Rating'],
      ['xmp', 'Label'],
      ['xmpRights', 'UsageTerms'],
      ['xmpRights', 'Marked'],
      ['xmpRights', 'WebStatement'],
      ['photoshop', 'Credit'],
      ['Iptc4xmpCore', 'AltTextAccessibility'],
      ['Iptc4xmpCore', 'ExtDescrAccessibility'],
      ['plus', 'CopyrightOwner'],
      ['plus', 'Licensor'],
      ['plus', 'LicenseStartDate'],
      ['plus', 'LicenseEndDate'],
      ['plus', 'ModelReleaseStatus'],
      ['plus', 'PropertyReleaseStatus'],
      ['plus', 'MediaConstraints'],
      ['plus', 'RegionConstraints'],
      ['plus', 'OtherConstraints'],
      ['cc', 'license'],
    ] as [Prefix, string][]
  ).map(([p, local]) => NS[p] + local),
);

export function isManaged(ns: string, local: string): boolean {
  return ns === NS.tessera || MANAGED.has(ns + local);
}

export const PLUS_VOCAB = 'http://ns.useplus.org/ldf/vocab/';
const RELEASE_CODES: Record<ReleaseStatus, [model: string, property: string]> = {
  none: ['MR-NON', 'PR-NON'],
  'not-applicable': ['MR-NAP', 'PR-NAP'],
  unlimited: ['MR-UMR', 'PR-UPR'],
  limited: ['MR-LMR', 'PR-LPR'],
};

export function releaseCode(kind: 'model' | 'property', s: ReleaseStatus): string {
  return PLUS_VOCAB + RELEASE_CODES[s][kind === 'model' ? 0 : 1];
}

export function releaseFromCode(v: string | null): ReleaseStatus | null {
  if (!v) return null;
  const code = v.trim().replace(PLUS_VOCAB, '').toUpperCase();
  for (const [status, codes] of Object.entries(RELEASE_CODES))
    if (codes.includes(code)) return status as ReleaseStatus;
  return null;
}

/** The licence deed a Creative Commons type points to (written to cc:license and xmpRights:WebStatement). */
export function ccUrl(t: LicenseType): string | null {
  if (t === 'cc0') return 'https://creativecommons.org/publicdomain/zero/1.0/';
  if (t === 'public-domain') return 'https://creativecommons.org/publicdomain/mark/1.0/';
  if (t.startsWith('cc-')) return `https://creativecommons.org/licenses/${t.slice(3)}/4.0/`;
  return null;
}

export function licenseFromUrl(url: string | null): LicenseType | null {
  if (!url) return null;
  if (/creativecommons\.org\/publicdomain\/zero\//i.test(url)) return 'cc0';
  if (/creativecommons\.org\/publicdomain\/mark\//i.test(url)) return 'public-domain';
  const m = /creativecommons\.org\/licenses\/(by(?:-nc)?(?:-sa|-nd)?)\//i.exec(url);
  return m ? (`cc-${m[1]!.toLowerCase()}` as LicenseType) : null;
}
