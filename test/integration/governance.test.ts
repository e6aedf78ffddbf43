import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Asset } from '../../shared/model';
import { catalogPath } from '../../electron/core/catalog/open';
import { createHandlers, dispatch } from '../../electron/core/api';
import { setFields, timeline, transition } from '../../electron/core/governance/set-fields';
import { writeSettings } from '../../electron/core/governance/settings';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

const JPG = cameraFile('jpg/Canon_40D.jpg');
const NIKON = cameraFile('jpg/gps/DSCN0010.jpg');

function dam(catalog: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DAM_CATALOG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function damJson<T>(catalog: string, ...args: string[]): T {
  const r = dam(catalog, ...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** exiftool's reading of a sidecar, by group-qualified tag name. */
function exiftool(file: string, ...opts: string[]): Record<string, unknown> {
  const out = execFileSync('exiftool', ['-j', '-G1', '-struct', ...opts, file]).toString();
  return (JSON.parse(out) as Record<string, unknown>[])[0]!;
}

describe('rights, warnings and approvals through dam', () => {
  let catalog: string;
  let root: string;

  beforeAll(() => {
    catalog = tempDir('dam-gov-cat-');
    root = tempDir('dam-gov-root-');
    fs.copyFileSync(JPG, path.join(root, 'bus.jpg'));
    fs.copyFileSync(JPG, path.join(root, 'old.jpg'));
    fs.copyFileSync(NIKON, path.join(root, 'bare.jpg'));
    fs.copyFileSync(NIKON, path.join(root, 'soon.jpg'));
    expect(dam(catalog, 'add-root', root).code).toBe(0);
    expect(dam(catalog, 'scan').code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(catalog, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  const show = (name: string) => damJson<Asset>(catalog, 'show', path.join(root, name));
  const found = (query: string) =>
    damJson<{ items: Asset[] }>(catalog, 'search', query)
      .items.map((a) => a.name)
      .sort();

  it('sets rights, alt text and keywords, and show --json reports them', () => {
    const bus = path.join(root, 'bus.jpg');
    expect(dam(catalog, 'set', bus, 'keywords=draft,street').code).toBe(0);
    const set = dam(
      catalog,
      'set',
      bus,
      'credit=North Studio / Agency',
      `licenseEnd=${day(400)}`,
      'licenseStart=2026-01-01',
      'altText=Red bus at dusk',
      'keywords+=bus',
      'keywords-=draft',
      'rating=4',
      'licenseType=cc-by',
      'channels=web,social',
      'territories=FR,DE',
      'usageTerms=Editorial use on the web',
      'copyrightNotice=© 2026 North Studio',
      'copyrightOwner=North Studio',
      'licensor=Agency X',
      'creator=Ann Smith',
      'modelRelease=unlimited',
      'propertyRelease=not-applicable',
      'restrictions=No print before 2027',
    );
    expect(set.code, set.err).toBe(0);
    const a = show('bus.jpg');
    expect(a.rights).toEqual({
      creator: 'Ann Smith',
      credit: 'North Studio / Agency',
      copyrightNotice: '© 2026 North Studio',
      copyrightOwner: 'North Studio',
      licensor: 'Agency X',
      licenseType: 'cc-by',
      usageTerms: 'Editorial use on the web',
      channels: ['web', 'social'],
      territories: ['FR', 'DE'],
      licenseStart: '2026-01-01',
      licenseEnd: day(400),
      modelRelease: 'unlimited',
      propertyRelease: 'not-applicable',
      restrictions: 'No print before 2027',
    });
    expect(a.altText).toBe('Red bus at dusk');
    expect(a.keywords).toEqual(['street', 'bus']);
    expect(a.rating).toBe(4);
    expect(a.credit).toBe('North Studio / Agency');
    expect(a.approval).toMatchObject({ state: 'draft', by: null });
    expect(a.warnings).toEqual([]);

    // Bad input is refused with the reason, and changes nothing.
    const bad = dam(catalog, 'set', bus, 'licenseEnd=31/01/2027');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/licenseEnd/);
    expect(dam(catalog, 'set', bus, 'colour=red').err).toMatch(/unknown field/);
    expect(show('bus.jpg').rights.licenseEnd).toBe(day(400));
  });

  it('warns about expired, soon-expiring, uncredited and unlicensed assets, and search finds them', () => {
    expect(
      dam(
        catalog,
        'set',
        path.join(root, 'old.jpg'),
        'credit=Archive',
        'licenseType=rights-managed',
        `licenseEnd=${day(-1)}`,
      ).code,
    ).toBe(0);
    expect(
      dam(
        catalog,
        'set',
        path.join(root, 'soon.jpg'),
        'credit=Wire',
        'licenseType=royalty-free',
        `licenseEnd=${day(10)}`,
      ).code,
    ).toBe(0);
    expect(show('old.jpg').warnings).toEqual(['expired']);
    expect(show('soon.jpg').warnings).toEqual(['expires-soon']);
    expect(show('bare.jpg').warnings).toEqual(['no-credit', 'no-license']);

    expect(found('warning:expired')).toEqual(['old.jpg']);
    expect(found('warning:expires-soon')).toEqual(['soon.jpg']);
    expect(found('warning:no-credit')).toEqual(['bare.jpg']);
    expect(found('warning:no-license')).toEqual(['bare.jpg']);
    expect(found('-warning:expired')).toEqual(['bare.jpg', 'bus.jpg', 'soon.jpg']);
    expect(found('license:cc-by')).toEqual(['bus.jpg']);
    expect(found('license:cc')).toEqual(['bus.jpg']);
    expect(found('license:none')).toEqual(['bare.jpg']);
    expect(found('channel:social')).toEqual(['bus.jpg']);
    expect(found('approval:draft')).toHaveLength(4);
    // The horizon of "soon" is a setting.
    expect(dam(catalog, 'config', 'expiry-warning-days', '5').code).toBe(0);
    expect(found('warning:expires-soon')).toEqual([]);
    expect(show('soon.jpg').warnings).toEqual([]);
    expect(dam(catalog, 'config', 'expiry-warning-days', '30').code).toBe(0);
    expect(dam(catalog, 'search', 'warning:bogus').code).not.toBe(0);
  });

  it('moves through the workflow, refusing approval with the reason when rights are incomplete or expired', () => {
    const bare = path.join(root, 'bare.jpg');
    const early = dam(catalog, 'approve', bare);
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/draft.*submit it for review first/);

    expect(dam(catalog, 'submit', bare, '--comment', 'first cut').code).toBe(0);
    const refused = dam(catalog, 'approve', bare);
    expect(refused.code).toBe(1);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/no credit line, no licence type/);
    expect(show('bare.jpg').approval.state).toBe('in-review');

    const old = path.join(root, 'old.jpg');
    expect(dam(catalog, 'submit', old).code).toBe(0);
    expect(dam(catalog, 'approve', old).err).toMatch(/the licence ended on/);

    // The rule can be switched off.
    expect(dam(catalog, 'config', 'require-rights-for-approval', 'off').code).toBe(0);
    const ok = dam(catalog, 'approve', old, '--comment', 'archive use only');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/in-review → approved/);
    expect(dam(catalog, 'config', 'require-rights-for-approval', 'on').code).toBe(0);

    expect(dam(catalog, 'request-changes', bare, '--comment', 'needs a credit').code).toBe(0);
    expect(dam(catalog, 'set', bare, 'credit=Wire', 'licenseType=royalty-free').code).toBe(0);
    expect(dam(catalog, 'submit', bare).code).toBe(0);
    expect(dam(catalog, 'approve', bare, '--comment', 'good to go').code).toBe(0);
    const approved = show('bare.jpg').approval;
    expect(approved).toMatchObject({ state: 'approved', comment: 'good to go' });
    expect(approved.by).toBeTruthy();
    expect(approved.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(found('approval:approved')).toEqual(['bare.jpg', 'old.jpg']);
    expect(dam(catalog, 'retire', old).code).toBe(0);
    expect(found('approval:retired')).toEqual(['old.jpg']);
    expect(dam(catalog, 'reject', old).code).toBe(1);

    const history = damJson<
      { kind: string; from?: string; to?: string; comment?: string | null; actor: string }[]
    >(catalog, 'history', bare);
    const steps = history
      .filter((h) => h.kind === 'approval')
      .map((h) => `${h.from}→${h.to}:${h.comment ?? ''}`);
    expect(steps).toEqual([
      'draft→in-review:first cut',
      'in-review→changes-requested:needs a credit',
      'changes-requested→in-review:',
      'in-review→approved:good to go',
    ]);
    expect(history.filter((h) => h.kind === 'change').map((h) => (h as { field?: string }).field)).toEqual([
      'credit',
      'licenseType',
    ]);
    expect(dam(catalog, 'history', bare).out).toMatch(/in-review → approved {2}by .*: good to go/);
  });

  it('keeps the approval log append-only', () => {
    const db = new Database(catalogPath(catalog));
    try {
      const n = db.prepare(`SELECT count(*) FROM approval_log`).pluck().get() as number;
      expect(n).toBeGreaterThan(3);
      expect(() => db.prepare(`UPDATE approval_log SET to_state = 'approved'`).run()).toThrow(/append-only/);
      expect(() => db.prepare(`DELETE FROM approval_log`).run()).toThrow(/append-only/);
      expect(db.prepare(`SELECT count(*) FROM approval_log`).pluck().get()).toBe(n);
    } finally {
      db.close();
    }
  });
});

describe('XMP sidecars', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;

  beforeEach(() => {
    ctx = freshLibrary();
    root = tempDir('dam-xmp-');
  });
  afterEach(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function catalogue(...names: [string, string][]): Promise<Asset[]> {
    for (const [name, src] of names) fs.copyFileSync(src, path.join(root, name));
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    return names.map(([name]) => ctx.lib.findAsset(path.join(root, name))!);
  }

  it('writes a sidecar next to the original, never touching it, that exiftool reads under the standard tags', async () => {
    const [a] = await catalogue(['photo.jpg', JPG]);
    const original = path.join(root, 'photo.jpg');
    const before = sha(original);
    await setFields(ctx.lib, a!.id, {
      title: 'Bus & tram',
      description: 'A red bus at dusk',
      keywords: ['bus', 'dusk'],
      rating: 4,
      label: 'red',
      altText: 'Red bus at dusk',
      extendedDescription: 'A red double-decker crosses the bridge',
      creator: 'Ann Smith',
      credit: 'North Studio / Agency',
      copyrightNotice: '© 2026 North Studio',
      copyrightOwner: 'North Studio',
      licensor: 'Agency X',
      licenseType: 'cc-by-nc',
      usageTerms: 'Web only',
      licenseStart: '2026-01-01',
      licenseEnd: '2027-01-31',
      modelRelease: 'unlimited',
      propertyRelease: 'none',
      restrictions: 'No print',
    });
    await transition(ctx.lib, a!.id, 'submit', 'ready');
    await transition(ctx.lib, a!.id, 'approve', 'ok');
    const sidecar = path.join(root, 'photo.xmp');
    expect(fs.existsSync(sidecar)).toBe(true);
    expect(fs.existsSync(path.join(root, 'photo.jpg.xmp'))).toBe(false);
    expect(sha(original)).toBe(before);

    const x = exiftool(sidecar);
    expect(x).toMatchObject({
      'XMP-dc:Title': 'Bus & tram',
      'XMP-dc:Description': 'A red bus at dusk',
      'XMP-dc:Subject': ['bus', 'dusk'],
      'XMP-dc:Creator': ['Ann Smith'],
      'XMP-dc:Rights': '© 2026 North Studio',
      'XMP-xmp:Rating': 4,
      'XMP-xmp:Label': 'Red',
      'XMP-iptcCore:AltTextAccessibility': 'Red bus at dusk',
      'XMP-iptcCore:ExtDescrAccessibility': 'A red double-decker crosses the bridge',
      'XMP-photoshop:Credit': 'North Studio / Agency',
      'XMP-xmpRights:UsageTerms': 'Web only',
      'XMP-xmpRights:Marked': true,
      'XMP-xmpRights:WebStatement': 'https://creativecommons.org/licenses/by-nc/4.0/',
      'XMP-cc:License': 'https://creativecommons.org/licenses/by-nc/4.0/',
      'XMP-plus:CopyrightOwner': [{ CopyrightOwnerName: 'North Studio' }],
      'XMP-plus:Licensor': [{ LicensorName: 'Agency X' }],
      'XMP-plus:LicenseStartDate': '2026:01:01',
      'XMP-plus:LicenseEndDate': '2027:01:31',
      'XMP-plus:OtherConstraints': 'No print',
      'XMP-tessera:ApprovalState': 'approved',
      'XMP-tessera:ApprovalComment': 'ok',
    });
    expect(exiftool(sidecar, '-n')).toMatchObject({
      'XMP-plus:ModelReleaseStatus': 'MR-UMR',
      'XMP-plus:PropertyReleaseStatus': 'PR-NON',
    });
    const steps = (x['XMP-tessera:ApprovalHistory'] as { From: string; To: string }[]).map(
      (h) => `${h.From}→${h.To}`,
    );
    expect(steps).toEqual(['draft→in-review', 'in-review→approved']);

    // The other naming convention, chosen in the settings.
    writeSettings(ctx.lib.db, { sidecarNaming: 'photo.jpg.xmp' });
    fs.copyFileSync(NIKON, path.join(root, 'second.jpg'));
    await ctx.lib.scan();
    const b = ctx.lib.findAsset(path.join(root, 'second.jpg'))!;
    await setFields(ctx.lib, b.id, { credit: 'Wire' });
    expect(exiftool(path.join(root, 'second.jpg.xmp'))['XMP-photoshop:Credit']).toBe('Wire');
    expect(fs.existsSync(path.join(root, 'second.xmp'))).toBe(false);
  });

  it('serves the UI through the contract: edits reach history and sidecar, templates apply to many', async () => {
    const [a, b] = await catalogue(['one.jpg', JPG], ['two.jpg', NIKON]);
    const h = createHandlers(ctx.lib);
    const call = async (name: string, input: unknown) => {
      const r = await dispatch(h, name, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as never;
    };
    await call('assets.edit', { ids: [a!.id], patch: { keywordsAdd: ['bus'], label: 'green' } });
    await ctx.lib.governance.flush();
    expect(exiftool(path.join(root, 'one.xmp'))).toMatchObject({
      'XMP-dc:Subject': ['bus'],
      'XMP-xmp:Label': 'Green',
    });
    const changes = (await call('assets.history', { id: a!.id })) as { field: string; source: string }[];
    expect(changes.map((c) => `${c.field}:${c.source}`).sort()).toEqual(['keywords:local', 'label:local']);

    await call('rights.templates.save', {
      name: 'Agency web',
      fields: { credit: 'Agency', licenseType: 'rights-managed', channelsAdd: ['web'], licenseEnd: day(200) },
    });
    expect(await call('rights.templates.apply', { name: 'agency web', ids: [a!.id, b!.id] })).toEqual({
      updated: 2,
    });
    expect(ctx.lib.assets([a!.id, b!.id]).map((x) => [x.credit, x.rights.channels])).toEqual([
      ['Agency', ['web']],
      ['Agency', ['web']],
    ]);
    const refused = (await call('assets.transition', { ids: [a!.id], action: 'approve' })) as {
      ok: boolean;
      error: { code: string; reason: string; message: string };
    }[];
    expect(refused[0]).toMatchObject({ ok: false, state: 'draft' });
    expect(refused[0]!.error).toMatchObject({ code: 'refused', reason: 'wrong-state' });
    expect(refused[0]!.error.message).toMatch(/submit it for review first/);
    await call('assets.transition', { ids: [a!.id, b!.id], action: 'submit' });
    const done = (await call('assets.transition', {
      ids: [a!.id, b!.id],
      action: 'approve',
      comment: 'ok',
    })) as { ok: boolean }[];
    expect(done.map((d) => d.ok)).toEqual([true, true]);
    // The filter bar's counts are what the filters find.
    const facets = (await call('facets', {})) as {
      approvals: { state: string; count: number }[];
      warnings: { warning: string; count: number }[];
    };
    expect(facets.approvals.find((f) => f.state === 'approved')!.count).toBe(2);
    const agree = (f: typeof facets) => {
      for (const x of f.approvals) expect(x.count).toBe(ctx.lib.searchIds(`approval:${x.state}`).length);
      for (const x of f.warnings) expect(x.count).toBe(ctx.lib.searchIds(`warning:${x.warning}`).length);
    };
    agree(facets);
    // A stack's other versions are hidden from search, and so from the counts.
    await call('versions.group', { ids: [a!.id, b!.id] });
    const stacked = (await call('facets', {})) as typeof facets;
    expect(stacked.approvals.find((f) => f.state === 'approved')!.count).toBe(1);
    agree(stacked);
    expect(
      (await dispatch(h, 'assets.setFields', { ids: [a!.id], patch: { licenseType: 'bogus' } })).ok,
    ).toBe(false);
    expect(await call('governance.settings', {})).toEqual({
      sidecarNaming: 'photo.xmp',
      requireRightsForApproval: true,
      expiryWarningDays: 30,
      embedXmp: false,
      modelReleaseChannels: [],
    });
  });

  it('answers a field edit with what it replaced, which setFieldsEach puts back (undo), sidecar included', async () => {
    const [a, b] = await catalogue(['one.jpg', JPG], ['two.jpg', NIKON]);
    const h = createHandlers(ctx.lib);
    const call = async (name: string, input: unknown) => {
      const r = await dispatch(h, name, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { updated: number; previous: { id: number; patch: Record<string, unknown> }[] };
    };
    await call('assets.setFields', { ids: [b!.id], patch: { credit: 'Before', channels: ['web'] } });
    const res = await call('assets.setFields', {
      ids: [a!.id, b!.id],
      patch: { credit: 'North Studio', channelsAdd: ['print'] },
    });
    expect(res.updated).toBe(2);
    expect(res.previous).toEqual([
      { id: a!.id, patch: { credit: null, channels: [] } },
      { id: b!.id, patch: { credit: 'Before', channels: ['web'] } },
    ]);
    expect(ctx.lib.asset(b!.id)!.rights).toMatchObject({
      credit: 'North Studio',
      channels: ['web', 'print'],
    });
    const undone = await call('assets.setFieldsEach', { edits: res.previous });
    expect(undone.updated).toBe(2);
    expect(ctx.lib.asset(a!.id)!.rights).toMatchObject({ credit: null, channels: [] });
    expect(ctx.lib.asset(b!.id)!.rights).toMatchObject({ credit: 'Before', channels: ['web'] });
    await ctx.lib.governance.flush();
    expect(exiftool(path.join(root, 'two.xmp'))['XMP-photoshop:Credit']).toBe('Before');
    // Both edits and the undo are in the asset's history, with who made them.
    const credits = timeline(ctx.lib, b!.id).filter((e) => e.kind === 'change' && e.field === 'credit');
    expect(credits).toHaveLength(3);
    const bad = await dispatch(h, 'assets.setFieldsEach', { edits: [{ id: a!.id, patch: { credit: 7 } }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('approves a version: new bytes under the same name are back in review', async () => {
    const [a] = await catalogue(['v.jpg', JPG]);
    await setFields(ctx.lib, a!.id, { credit: 'North', licenseType: 'royalty-free' });
    await transition(ctx.lib, a!.id, 'submit');
    await transition(ctx.lib, a!.id, 'approve');
    expect(ctx.lib.asset(a!.id)!.approval.state).toBe('approved');
    fs.copyFileSync(NIKON, path.join(root, 'v.jpg'));
    await ctx.lib.scan();
    const now = ctx.lib.asset(a!.id)!;
    expect(now.make).toBe('NIKON');
    expect(now.approval).toMatchObject({ state: 'in-review', by: null });
    expect(ctx.lib.search('approval:in-review').items.map((x) => x.id)).toEqual([a!.id]);
    expect(ctx.lib.search('approval:approved').total).toBe(0);
    await transition(ctx.lib, a!.id, 'approve', 'new version ok');
    expect(ctx.lib.asset(a!.id)!.approval).toMatchObject({ state: 'approved', comment: 'new version ok' });
  });

  it('keeps what other applications wrote in a sidecar it rewrites', async () => {
    const [a] = await catalogue(['raw.jpg', JPG]);
    const sidecar = path.join(root, 'raw.xmp');
    // A Lightroom-style sidecar: develop settings as attributes, in a namespace we do not manage.
    fs.writeFileSync(
      sidecar,
      `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" crs:Exposure2012="+0.35" crs:WhiteBalance="As Shot" xmp:Rating="2">
   <crs:ToneCurvePV2012><rdf:Seq><rdf:li>0, 0</rdf:li><rdf:li>255, 255</rdf:li></rdf:Seq></crs:ToneCurvePV2012>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>`,
    );
    await ctx.lib.scan();
    expect(ctx.lib.asset(a!.id)!.rating).toBe(2);
    await setFields(ctx.lib, a!.id, { rating: 5, credit: 'North' });
    const x = exiftool(sidecar);
    expect(x).toMatchObject({
      'XMP-crs:Exposure2012': '+0.35',
      'XMP-crs:WhiteBalance': 'As Shot',
      'XMP-crs:ToneCurvePV2012': ['0, 0', '255, 255'],
      'XMP-xmp:Rating': 5,
      'XMP-photoshop:Credit': 'North',
    });
  });

  it('reads sidecars that exiftool wrote (as Lightroom would), under both names, without rewriting them', async () => {
    fs.copyFileSync(JPG, path.join(root, 'a.jpg'));
    fs.copyFileSync(NIKON, path.join(root, 'b.jpg'));
    const tags = [
      '-XMP-dc:Subject=bus',
      '-XMP-dc:Subject=red',
      '-XMP-photoshop:Credit=North Studio / Agency',
    ];
    execFileSync('exiftool', [
      '-q',
      '-o',
      path.join(root, 'a.xmp'),
      ...tags,
      '-XMP-xmp:Rating=3',
      path.join(root, 'a.jpg'),
    ]);
    execFileSync('exiftool', [
      '-q',
      '-o',
      path.join(root, 'b.jpg.xmp'),
      ...tags,
      '-XMP-xmp:Rating=2',
      '-XMP-plus:LicenseEndDate=2030-06-30',
      '-XMP-iptcCore:AltTextAccessibility=A street',
      path.join(root, 'b.jpg'),
    ]);
    const sidecars = [path.join(root, 'a.xmp'), path.join(root, 'b.jpg.xmp')].map((f) => [f, sha(f)]);
    ctx.lib.addRoot(root);
    const summary = await ctx.lib.scan();
    expect(summary.new).toBe(2);
    const a = ctx.lib.findAsset(path.join(root, 'a.jpg'))!;
    const b = ctx.lib.findAsset(path.join(root, 'b.jpg'))!;
    expect(a).toMatchObject({ keywords: ['bus', 'red'], rating: 3, credit: 'North Studio / Agency' });
    expect(b).toMatchObject({ keywords: ['bus', 'red'], rating: 2, altText: 'A street' });
    expect(b.rights).toMatchObject({ credit: 'North Studio / Agency', licenseEnd: '2030-06-30' });
    expect(ctx.lib.search('keyword:red').total).toBe(2);
    for (const [f, hash] of sidecars) expect(sha(f!), f).toBe(hash);

    // Edited again by the other application: the change comes in on the next scan.
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-XMP-xmp:Rating=5',
      '-XMP-dc:Subject-=red',
      path.join(root, 'a.xmp'),
    ]);
    await ctx.lib.scan();
    expect(ctx.lib.asset(a.id)).toMatchObject({ rating: 5, keywords: ['bus'] });
    const h = timeline(ctx.lib, a.id);
    expect(h.some((e) => e.kind === 'change' && e.field === 'rating' && e.source === 'sidecar')).toBe(true);
  });

  it('leaves an unreadable sidecar untouched and reports it, with the catalogue intact', async () => {
    fs.copyFileSync(JPG, path.join(root, 'c.jpg'));
    const sidecar = path.join(root, 'c.xmp');
    const broken =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description dc:title="oops';
    fs.writeFileSync(sidecar, broken);
    ctx.lib.addRoot(root);
    const summary = await ctx.lib.scan();
    expect(summary.problems.some((p) => p.includes(sidecar))).toBe(true);
    expect(summary.errors).toBe(1);
    const c = ctx.lib.findAsset(path.join(root, 'c.jpg'))!;
    expect(c.make).toBe('Canon');
    expect(c.warnings).toContain('sidecar-unreadable');
    expect(ctx.lib.search('warning:sidecar-unreadable').items.map((x) => x.id)).toEqual([c.id]);

    // Edits still go to the catalogue; the sidecar is not overwritten.
    await setFields(ctx.lib, c.id, { credit: 'North' });
    expect(ctx.lib.asset(c.id)!.credit).toBe('North');
    expect(fs.readFileSync(sidecar, 'utf8')).toBe(broken);
    expect(ctx.lib.stats().assets).toBe(1);

    // Repaired: read again, and the warning goes.
    execFileSync('exiftool', [
      '-q',
      '-o',
      sidecar + '.new.xmp',
      '-XMP-dc:Subject=fixed',
      path.join(root, 'c.jpg'),
    ]);
    fs.renameSync(sidecar + '.new.xmp', sidecar);
    await ctx.lib.scan();
    const fixed = ctx.lib.asset(c.id)!;
    expect(fixed.keywords).toEqual(['fixed']);
    expect(fixed.credit).toBe('North');
    expect(fixed.warnings).not.toContain('sidecar-unreadable');
    expect(exiftool(sidecar)['XMP-photoshop:Credit']).toBe('North');
  });
});
