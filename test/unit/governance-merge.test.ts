import { describe, expect, it } from 'vitest';
import { canonical, FIELDS, type FieldValues } from '../../electron/core/governance/fields';
import { mergeSidecar, type LocalState } from '../../electron/core/governance/merge';
import { bump, type Stamp } from '../../electron/core/governance/stamps';
import { readSidecar, SidecarParseError, type SidecarData } from '../../electron/core/governance/xmp-read';
import { writeSidecar, type SidecarContent } from '../../electron/core/governance/xmp-write';

function values(over: Partial<FieldValues> = {}): FieldValues {
  const v = Object.fromEntries(FIELDS.map((f) => [f, canonical(f, null)])) as unknown as FieldValues;
  for (const f of ['keywords', 'channels', 'territories'] as const)
    (v as unknown as Record<string, unknown>)[f] = [];
  return { ...v, ...over };
}

const stamp = (origin: string, at: number, clock: Record<string, number>): Stamp => ({
  clock,
  at,
  origin,
  actor: origin,
  machine: origin,
});

function content(over: Partial<FieldValues>, stamps: [string, Stamp][] = []): SidecarContent {
  return { values: values(over), approval: null, stamps: new Map(stamps), conflicts: [], approvalLog: [] };
}

/** A sidecar as another catalogue would write it, read back. */
const sidecar = (c: SidecarContent): SidecarData => readSidecar(writeSidecar(c));

function local(over: Partial<FieldValues>, stamps: [string, Stamp][] = []): LocalState {
  return {
    values: values(over),
    approval: null,
    stamps: new Map(stamps),
    conflictIds: new Set(),
    approvalLogIds: new Set(),
  };
}

describe('XMP sidecar round trip', () => {
  it('reads back every field it writes, with stamps that still match', () => {
    const all = values({
      title: 'Bus & <tram>',
      description: 'Line one\nline two',
      rating: 4,
      label: 'purple',
      flag: 'pick',
      keywords: ['bus', 'Dusk', 'ünïcode'],
      altText: 'Red bus',
      extendedDescription: 'Long',
      creator: 'Ann; Bob',
      credit: 'North "Studio"',
      copyrightNotice: '© 2026',
      copyrightOwner: 'North',
      licensor: 'Agency',
      licenseType: 'cc-by-sa',
      usageTerms: 'Web',
      channels: ['web', 'print'],
      territories: ['FR', 'DE'],
      licenseStart: '2026-01-01',
      licenseEnd: '2027-01-31',
      modelRelease: 'limited',
      propertyRelease: 'not-applicable',
      restrictions: 'None',
    });
    const stamps = FIELDS.map((f) => [f, stamp('a', 1000, { a: 1 })] as [string, Stamp]);
    const read = sidecar({
      values: all,
      approval: null,
      stamps: new Map(stamps),
      conflicts: [],
      approvalLog: [],
    });
    expect(read.values).toEqual(all);
    const out = mergeSidecar(local(all, stamps), read, 2000);
    expect(out).toMatchObject({ adopt: [], restamp: [], conflicts: [], rewrite: false });
  });

  it('refuses malformed XML and anything that is not XMP', () => {
    expect(() => readSidecar('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF')).toThrow(SidecarParseError);
    expect(() => readSidecar('<a><b></a></b>')).toThrow(/does not close/);
    expect(() => readSidecar('<!DOCTYPE x [<!ENTITY e "boom">]><x/>')).toThrow(/document type/);
    expect(() => readSidecar('<a>AT&T</a>')).toThrow(/entity/);
    expect(() => readSidecar('<p:a/>')).toThrow(/undeclared namespace prefix/);
    expect(() => readSidecar('<a/>')).toThrow(/rdf:RDF/);
    expect(() => readSidecar('just text')).toThrow();
  });
});

describe('merging a sidecar into a catalogue', () => {
  it('takes an edit made knowing ours, and keeps ours when the sidecar is behind', () => {
    const mine = stamp('a', 1000, { a: 1 });
    const theirs = stamp('b', 2000, { a: 1, b: 1 });
    const later = mergeSidecar(
      local({ credit: 'A' }, [['credit', mine]]),
      sidecar(content({ credit: 'B' }, [['credit', theirs]])),
      3000,
    );
    expect(later.adopt).toEqual([expect.objectContaining({ field: 'credit', value: 'B', previous: 'A' })]);
    expect(later.conflicts).toEqual([]);

    const behind = mergeSidecar(
      local({ credit: 'B' }, [['credit', theirs]]),
      sidecar(content({ credit: 'A' }, [['credit', mine]])),
      3000,
    );
    expect(behind).toMatchObject({ adopt: [], conflicts: [], rewrite: true });
  });

  it('records a concurrent edit of one field once, with the same id on both sides', () => {
    const a = stamp('a', 1000, { a: 1 });
    const b = stamp('b', 2000, { b: 1 });
    const onA = mergeSidecar(
      local({ credit: 'A' }, [['credit', a]]),
      sidecar(content({ credit: 'B' }, [['credit', b]])),
      3000,
    );
    const onB = mergeSidecar(
      local({ credit: 'B' }, [['credit', b]]),
      sidecar(content({ credit: 'A' }, [['credit', a]])),
      3000,
    );
    expect(onA.adopt).toEqual([expect.objectContaining({ field: 'credit', value: 'B' })]);
    expect(onB.adopt).toEqual([]);
    expect(onA.conflicts).toHaveLength(1);
    expect(onA.conflicts[0]).toMatchObject({ field: 'credit', lost: 'A', kept: 'B' });
    expect(onB.conflicts.map((c) => c.id)).toEqual(onA.conflicts.map((c) => c.id));
    expect(onA.rewrite && onB.rewrite).toBe(true);
  });

  it('does not mistake a chain of edits elsewhere for a conflict', () => {
    const a = stamp('a', 1000, { a: 1 });
    let clock: Record<string, number> = { a: 1 };
    for (let i = 0; i < 3; i++) clock = bump(clock, 'b');
    const r = mergeSidecar(
      local({ title: 'one' }, [['title', a]]),
      sidecar(content({ title: 'four' }, [['title', stamp('b', 5000, clock)]])),
      6000,
    );
    expect(r.conflicts).toEqual([]);
    expect(r.adopt).toHaveLength(1);
  });

  it('recovers an edit whose sidecar write was overwritten by another machine', () => {
    // Ours never reached the sidecar; theirs (another field) did, without ours.
    const r = mergeSidecar(
      local({ title: 'ours' }, [['title', stamp('a', 1000, { a: 1 })]]),
      sidecar(content({ usageTerms: 'theirs' }, [['usageTerms', stamp('b', 1001, { b: 1 })]])),
      2000,
    );
    expect(r.adopt.map((x) => x.field)).toEqual(['usageTerms']);
    expect(r.rewrite).toBe(true);
    expect(r.conflicts).toEqual([]);
  });

  it('treats another application changing the sidecar as an edit made when the file was modified', () => {
    const xml = writeSidecar(content({ rating: 2 }, [['rating', stamp('a', 1000, { a: 1 })]])).replace(
      '<xmp:Rating>2</xmp:Rating>',
      '<xmp:Rating>5</xmp:Rating>',
    );
    const edited = readSidecar(xml);
    const r = mergeSidecar(local({ rating: 2 }, [['rating', stamp('a', 1000, { a: 1 })]]), edited, 5000);
    expect(r.adopt).toEqual([expect.objectContaining({ field: 'rating', value: 5 })]);
    expect(r.conflicts).toEqual([]);
    // Our own later edit beats an older external change, which is kept in the history.
    const newer = mergeSidecar(local({ rating: 3 }, [['rating', stamp('a', 9000, { a: 2 })]]), edited, 5000);
    expect(newer.adopt).toEqual([]);
    expect(newer.conflicts).toEqual([expect.objectContaining({ field: 'rating', lost: 5, kept: 3 })]);
    expect(newer.rewrite).toBe(true);
  });

  it('lets a field the sidecar does not mention keep its value', () => {
    const r = mergeSidecar(
      local({ title: 'From the file' }),
      sidecar(content({ credit: 'X' }, [['credit', stamp('b', 1000, { b: 1 })]])),
      2000,
    );
    expect(r.adopt.map((x) => x.field)).toEqual(['credit']);
    expect(r.rewrite).toBe(false);
    // A value another catalogue only read from the same file (empty clock) is not an edit to take.
    const fromFile = mergeSidecar(local({ credit: null }), sidecar(content({ credit: 'X' })), 2000);
    expect(fromFile.adopt).toEqual([]);
  });
});
