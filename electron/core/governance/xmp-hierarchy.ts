// Keyword paths (lr:hierarchicalSubject, as Lightroom, digiKam and Capture One read them) for the
// keywords that came from accepted auto-tags ("Objects|bus") and from the people named in the
// picture ("People|Ana"). Paths another application wrote are kept beside ours.
import { AUTO_TAG_PARENTS } from '../../../shared/auto-tags';
import { editWords, hasWord } from '../../../shared/keywords';
import type { XmlElement } from '../xml/reader';
import { escapeText } from '../xml/write';
import type { ForeignBlock } from './xmp-read';
import { NS } from './xmp-ns';

const I = '   ';
/** Parents under which the catalogue files accepted auto-tags. */
const MANAGED_PARENTS = [AUTO_TAG_PARENTS.object, AUTO_TAG_PARENTS.text, AUTO_TAG_PARENTS.color];
/**
 * People paths are shared with other applications (digiKam files its people under People too): one
 * another wrote is kept while its name is still a keyword, and goes with the keyword.
 */
const PEOPLE_PARENT = AUTO_TAG_PARENTS.face;

function isHierarchy(c: XmlElement): boolean {
  return c.ns === NS.lr && c.local === 'hierarchicalSubject';
}

/** The rdf:li texts under an element (its Bag or Seq). */
function items(e: XmlElement): string[] {
  const out: string[] = [];
  const walk = (n: XmlElement) => {
    for (const c of n.children) {
      if (typeof c === 'string') continue;
      if (c.ns === NS.rdf && c.local === 'li') {
        const text = c.children.filter((x): x is string => typeof x === 'string').join('');
        if (text.trim()) out.push(text.trim());
      } else walk(c);
    }
  };
  walk(e);
  return out;
}

/**
 * Our paths merged with those already in the sidecar's other blocks (which then lose theirs, so
 * the property is written once): the property to write, and the foreign blocks left.
 */
export function hierarchyProps(
  ours: readonly string[],
  foreign: ForeignBlock[],
  keywords: readonly string[] = [],
): { props: string[]; foreign: ForeignBlock[] } {
  const found = foreign.flatMap((b) => b.children.filter(isHierarchy).flatMap(items));
  if (!ours.length && !found.length) return { props: [], foreign };
  // Paths under the parents auto-tags use are ours to keep or drop (a keyword removed since).
  const theirs = found.filter(
    (p) =>
      !MANAGED_PARENTS.some((m) => p.startsWith(`${m}|`)) &&
      (!p.startsWith(`${PEOPLE_PARENT}|`) || hasWord(keywords, p.split('|').pop() ?? '')),
  );
  const paths = editWords(theirs, ours);
  const rest = foreign
    .map((b) => ({ ...b, children: b.children.filter((c) => !isHierarchy(c)) }))
    .filter((b) => b.attrs.length || b.children.length);
  if (!paths.length) return { props: [], foreign: rest };
  const lis = paths.map((p) => `${I}  <rdf:li>${escapeText(p)}</rdf:li>\n`).join('');
  return {
    props: [
      `${I}<lr:hierarchicalSubject>\n${I} <rdf:Bag>\n${lis}${I} </rdf:Bag>\n${I}</lr:hierarchicalSubject>`,
    ],
    foreign: rest,
  };
}
