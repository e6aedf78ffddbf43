import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError } from '../../shared/search/parse';
import { toSql } from '../../electron/core/search/to-sql';

describe('query syntax', () => {
  it('reads words, phrases, exclusions and filters', () => {
    expect(parseQuery('canon 2008')).toEqual([
      { kind: 'text', field: 'any', value: 'canon', phrase: false, negate: false },
      { kind: 'text', field: 'any', value: '2008', phrase: false, negate: false },
    ]);
    expect(parseQuery('"red bus" -draft')).toEqual([
      { kind: 'text', field: 'any', value: 'red bus', phrase: true, negate: false },
      { kind: 'text', field: 'any', value: 'draft', phrase: false, negate: true },
    ]);
    expect(parseQuery('type:video camera:"EOS 40D" -keyword:draft')).toEqual([
      { kind: 'type', value: 'video', negate: false },
      { kind: 'text', field: 'camera', value: 'EOS 40D', phrase: true, negate: false },
      { kind: 'text', field: 'keywords', value: 'draft', phrase: true, negate: true },
    ]);
  });

  it('reads dates, ranges and comparisons', () => {
    const [d] = parseQuery('date:2008-05');
    expect(d).toMatchObject({ kind: 'date', from: Date.UTC(2008, 4, 1), to: Date.UTC(2008, 5, 1) });
    const [r] = parseQuery('date:2008..2010');
    expect(r).toMatchObject({ kind: 'date', from: Date.UTC(2008, 0, 1), to: Date.UTC(2011, 0, 1) });
    expect(parseQuery('rating:>=3')[0]).toMatchObject({
      kind: 'number',
      field: 'rating',
      op: '>=',
      value: 3,
    });
    expect(parseQuery('size:>10mb')[0]).toMatchObject({
      kind: 'number',
      field: 'size',
      op: '>',
      value: 10 * 1024 * 1024,
    });
    expect(parseQuery('is:missing')[0]).toMatchObject({ kind: 'flag', flag: 'missing' });
  });

  it('reads people filters: person, has:faces and a count of faces', () => {
    expect(parseQuery('person:"Ana Lima" -person:Bo')).toEqual([
      { kind: 'person', name: 'Ana Lima', negate: false },
      { kind: 'person', name: 'Bo', negate: true },
    ]);
    expect(parseQuery('has:faces')[0]).toEqual({ kind: 'flag', flag: 'faces', negate: false });
    expect(parseQuery('people:>=3')[0]).toEqual({
      kind: 'number',
      field: 'people',
      op: '>=',
      value: 3,
      negate: false,
    });
    expect(() => parseQuery('people:many')).toThrow(/people: expects a number of faces/);
    expect(() => parseQuery('person:""')).toThrow(/person: expects a name/);
    expect(() => parseQuery('persn:Ana')).toThrow('did you mean person:?');
  });

  it('gives clear errors for malformed filters', () => {
    expect(() => parseQuery('type:spreadsheet')).toThrow(QueryError);
    expect(() => parseQuery('date:yesterday')).toThrow(/date: expects/);
    expect(() => parseQuery('rating:lots')).toThrow(/rating: expects/);
  });

  it('refuses an unknown filter name, suggesting the nearest known one', () => {
    expect(() => parseQuery('camra:canon')).toThrow('unknown filter camra: — did you mean camera:?');
    expect(() => parseQuery('-keywrod:draft')).toThrow('did you mean keyword:?');
    expect(() => parseQuery('foo:bar')).toThrow(QueryError);
    expect(() => parseQuery('foo:bar')).toThrow(
      /^unknown filter foo: \(filters: type, camera, .*"foo:bar" in quotes/,
    );
    // Quoted, text with a colon is searched for as it is.
    expect(parseQuery('"foo:bar"')[0]).toMatchObject({ kind: 'text', value: 'foo:bar', phrase: true });
  });

  it('treats times as text, and never lets user text become FTS syntax', () => {
    expect(parseQuery('12:30')[0]).toMatchObject({ kind: 'text', value: '12:30' });
    const q = toSql(parseQuery('NEAR(a b) "x" OR* ^col'));
    expect(q.params[0]).toBe('"NEAR(a" AND "b)"* AND "x" AND "OR*"* AND "^col"*');
  });

  it('normalises to NFC so a decomposed é matches a composed one', () => {
    const nfd = 'cafe\u0301';
    expect(parseQuery(nfd)[0]).toMatchObject({ value: 'caf\u00e9' });
  });

  it('reads text: as the words inside files: a quoted phrase, a bare word as a prefix, negated too', () => {
    expect(parseQuery('text:"spring sale" -text:draft text:""')).toEqual([
      { kind: 'fileText', value: 'spring sale', phrase: true, negate: false },
      { kind: 'fileText', value: 'draft', phrase: false, negate: true },
    ]);
    const q = toSql(parseQuery('text:"spring sale" -text:dra"ft'));
    expect(q.from).toBe('asset_search s'); // the catalogue's own full-text index is not involved
    expect(q.where).toMatch(/file_text_fts MATCH \?.*NOT \(s\.file_id IN .*file_text_fts MATCH \?/s);
    expect(q.params).toEqual(['"spring sale"', '"dra""ft"']); // two tokens: a phrase
  });

  it('reads is:duplicate (and its plural), negated too', () => {
    expect(parseQuery('is:duplicate -is:duplicates')).toEqual([
      { kind: 'flag', flag: 'duplicate', negate: false },
      { kind: 'flag', flag: 'duplicate', negate: true },
    ]);
  });

  it('reads tag: (keyword or auto-tag), object: (auto-tag) and is:untagged, negated too', () => {
    expect(parseQuery('tag:bus -object:"dining table" is:untagged')).toEqual([
      { kind: 'autoTag', scope: 'tag', value: 'bus', negate: false },
      { kind: 'autoTag', scope: 'object', value: 'dining table', negate: true },
      { kind: 'flag', flag: 'untagged', negate: false },
    ]);
  });

  it('reads color: as a dominant colour (family, palette name or hex) and leaves label: the colour label', () => {
    expect(parseQuery('color:Red -colour:grey')).toEqual([
      { kind: 'color', by: 'family', value: 'red', negate: false },
      { kind: 'color', by: 'family', value: 'gray', negate: true },
    ]);
    expect(parseQuery('color:"sky blue" color:#36C color:#3366CC')).toEqual([
      { kind: 'color', by: 'name', value: 'sky blue', negate: false },
      { kind: 'color', by: 'hex', value: '#3366cc', negate: false },
      { kind: 'color', by: 'hex', value: '#3366cc', negate: false },
    ]);
    expect(parseQuery('label:red')).toEqual([{ kind: 'label', value: 'red', negate: false }]);
    for (const bad of ['color:blurple', 'color:#12345', 'color:3366cc'])
      expect(() => parseQuery(bad), bad).toThrow(QueryError);
    const sql = toSql(parseQuery('color:#3366cc'));
    expect(sql.where).toMatch(/asset_colors/);
    expect(sql.params.every((p) => typeof p === 'number')).toBe(true);
  });

  it('reads the publication filters: is:published, published:NAME, publication:STATE', () => {
    expect(parseQuery('is:published published:"web site" -publication:failed')).toEqual([
      { kind: 'published', endpoint: null, negate: false },
      { kind: 'published', endpoint: 'web site', negate: false },
      { kind: 'publication', state: 'failed', negate: true },
    ]);
    expect(() => parseQuery('publication:lost')).toThrow(/publication: expects pending, published/);
    const sql = toSql(parseQuery('published:site'));
    expect(sql.where).toMatch(/publications/);
    expect(sql.params).toEqual(['site']);
  });

  it('reads the version filters and hides other versions unless asked', () => {
    expect(parseQuery('versions:all stack:12 is:stacked')).toEqual([
      { kind: 'versions', value: 'all' },
      { kind: 'stack', id: 12, negate: false },
      { kind: 'flag', flag: 'stacked', negate: false },
    ]);
    expect(() => parseQuery('stack:twelve')).toThrow(QueryError);
    expect(() => parseQuery('stack:0')).toThrow(/stack number/);
    expect(() => parseQuery('versions:some')).toThrow(/versions: expects all/);
    const hidden = /NOT EXISTS \(SELECT 1 FROM stack_members hm/;
    expect(toSql(parseQuery('bus'), undefined, undefined, undefined, { hideVersions: true }).where).toMatch(
      hidden,
    );
    // Nothing hidden anywhere: no filter at all (full-text counts stay on the index alone).
    expect(toSql(parseQuery('bus')).where).not.toMatch(hidden);
    expect(toSql(parseQuery('bus'), undefined, undefined, undefined, {}).countFrom).toBe('asset_fts');
    for (const q of ['versions:all', 'stack:3', 'stack:3 bus'])
      expect(
        toSql(parseQuery(q), undefined, undefined, undefined, { hideVersions: true }).where,
        q,
      ).not.toMatch(hidden);
    const one = toSql(parseQuery('stack:3'), undefined, undefined, undefined, { hideVersions: true });
    expect(one.params).toEqual([3]);
    expect(one.orderBy).toMatch(/^\(SELECT position FROM stack_members/);
    expect(toSql(parseQuery('stack:3'), 'name').orderBy).toMatch(/^s\.name/);
  });
});

describe('one grammar for the core and the UI', () => {
  it('the facet editor reads a query with the parser’s own tokens', async () => {
    const { tokenizeQuery } = await import('../../shared/search/parse');
    const ui = await import('../../renderer/src/lib/query');
    const q = 'canon -keyword:"red bus" type:video ""  folder:" trip "';
    expect(tokenizeQuery(q).map((t) => [t.raw, t.negate, t.field, t.value])).toEqual([
      ['canon', false, null, 'canon'],
      ['-keyword:"red bus"', true, 'keyword', 'red bus'],
      ['type:video', false, 'type', 'video'],
      ['""', false, null, ''],
      ['folder:" trip "', false, 'folder', ' trip '],
    ]);
    // The UI trims values but splits the same tokens at the same places.
    expect(ui.tokenizeQuery(q).map((t) => t.raw)).toEqual(tokenizeQuery(q).map((t) => t.raw));
    expect(ui.facetValue(q, 'folder')).toBe('trip');
    // What the parser makes of it: the empty phrase is no term.
    expect(parseQuery(q).map((t) => t.kind)).toEqual(['text', 'text', 'type', 'text']);
  });
});
