import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import type { EndpointRow } from '../../electron/core/catalog/endpoints.repository';
import { readFields } from '../../electron/core/governance/field-store';
import { channelsLackingRelease } from '../../electron/core/governance/model-release';
import { checkGate } from '../../electron/core/publishing/gate';
import type { Asset } from '../../shared/model';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

// People in the picture and no model release: a warning, a search term, and (for the channels the
// user lists) a refused approval and a refused delivery. Faces come from MWG regions in the files,
// as Lightroom writes them, so no model runs here.
describe('no model release where people are in the picture', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let handlers: ReturnType<typeof createHandlers>;
  const ids: Record<string, number> = {};
  const asset = (name: string): Asset => ctx.lib.assets([ids[name]!])[0]!;
  const find = (q: string) => ctx.lib.searchIds(q, { limit: 100, offset: 0 }).sort();
  const call = (op: string, input: unknown) => dispatch(handlers, op as never, input as never);

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-release-root-');
    const names = ['portrait.jpg', 'group.jpg', 'landscape.jpg'];
    await Promise.all(
      names.map((n) =>
        sharp({ create: { width: 96, height: 64, channels: 3, background: '#8a7' } })
          .jpeg()
          .toFile(path.join(root, n)),
      ),
    );
    for (const n of ['portrait.jpg', 'group.jpg'])
      execFileSync('exiftool', [
        '-q',
        '-overwrite_original',
        '-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=96,H=64,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Ana Lima,Type=Face}]}',
        path.join(root, n),
      ]);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    for (const n of names) ids[n] = ctx.lib.findAsset(path.join(root, n))!.id;
    handlers = createHandlers(ctx.lib);
    // Rights enough for approval, so only the model release is in question.
    const set = await call('assets.setFields', {
      ids: Object.values(ids),
      patch: { credit: 'North Studio', licenseType: 'royalty-free' },
    });
    expect(set.ok).toBe(true);
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('warns, and finds by warning:no-model-release, until a release is recorded', async () => {
    expect(asset('portrait.jpg').warnings).toContain('no-model-release');
    expect(asset('landscape.jpg').warnings).not.toContain('no-model-release');
    expect(find('warning:no-model-release')).toEqual([ids['portrait.jpg'], ids['group.jpg']].sort());
    expect(find('-warning:no-model-release')).toEqual([ids['landscape.jpg']]);
    const release = async (v: string | null) =>
      expect(
        (await call('assets.setFields', { ids: [ids['portrait.jpg']], patch: { modelRelease: v } })).ok,
      ).toBe(true);
    for (const recorded of ['unlimited', 'limited', 'not-applicable']) {
      await release(recorded);
      expect(asset('portrait.jpg').warnings, recorded).not.toContain('no-model-release');
      expect(find('warning:no-model-release'), recorded).toEqual([ids['group.jpg']]);
    }
    // "none" records that there is no release: the warning stands.
    await release('none');
    expect(asset('portrait.jpg').warnings).toContain('no-model-release');
    await release(null);
    expect(find('warning:no-model-release')).toEqual([ids['portrait.jpg'], ids['group.jpg']].sort());
    // The facet counts what the filter finds.
    const facets = await call('facets', {});
    const w = facets.ok && (facets.value as { warnings: { warning: string; count: number }[] }).warnings;
    expect(w && w.find((x) => x.warning === 'no-model-release')).toEqual({
      warning: 'no-model-release',
      count: 2,
    });
    // A face removed (not a face): no people, no warning.
    const face = ctx.lib.faces({ assetId: ids['group.jpg']! })[0]!;
    ctx.lib.people.removeFace(face.id);
    expect(asset('group.jpg').warnings).not.toContain('no-model-release');
    expect(find('warning:no-model-release')).toEqual([ids['portrait.jpg']]);
  });

  it('the channels setting is checked and kept in the catalogue', async () => {
    expect(await call('governance.settings', {})).toMatchObject({
      ok: true,
      value: { modelReleaseChannels: [] },
    });
    const bad = await call('governance.settings', { modelReleaseChannels: ['web', 'billboards'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const set = await call('governance.settings', { modelReleaseChannels: ['social', 'web', 'web'] });
    expect(set).toMatchObject({ ok: true, value: { modelReleaseChannels: ['web', 'social'] } });
  });

  it('approval is refused while a listed channel lacks the release, with the reason and the channels', async () => {
    const id = ids['portrait.jpg']!;
    expect((await call('assets.transition', { ids: [id], action: 'submit' })).ok).toBe(true);
    // No channels recorded: it may go anywhere, so every listed channel needs the release.
    const refused = await call('assets.transition', { ids: [id], action: 'approve' });
    expect(refused).toMatchObject({
      ok: true,
      value: [
        {
          id,
          error: {
            code: 'refused',
            reason: 'model-release-required',
            detail: { channels: ['web', 'social'] },
          },
        },
      ],
    });
    const msg = (refused as { value: { error: { message: string } }[] }).value[0]!.error.message;
    expect(msg).toMatch(/no model release/);
    expect(msg.split('\n')).toHaveLength(1);
    expect(asset('portrait.jpg').approval.state).toBe('in-review');
    // Only print: the rule does not stop it.
    await call('assets.setFields', { ids: [id], patch: { channels: ['print', 'web'] } });
    const webOnly = await call('assets.transition', { ids: [id], action: 'approve' });
    expect(webOnly).toMatchObject({ value: [{ error: { detail: { channels: ['web'] } } }] });
    await call('assets.setFields', { ids: [id], patch: { channels: ['print'] } });
    expect(await call('assets.transition', { ids: [id], action: 'approve' })).toMatchObject({
      value: [{ id, ok: true, state: 'approved' }],
    });
    // A picture without people is approved whatever the rule says.
    const land = ids['landscape.jpg']!;
    await call('assets.transition', { ids: [land], action: 'submit' });
    expect(await call('assets.transition', { ids: [land], action: 'approve' })).toMatchObject({
      value: [{ id: land, ok: true, state: 'approved' }],
    });
  });

  it('the publishing gate refuses an endpoint of such a channel: "no model release"', () => {
    const db = ctx.lib.db;
    const id = ids['portrait.jpg']!;
    const ep = (channel: EndpointRow['channel']): EndpointRow => ({
      id: 1,
      name: `site-${channel}`,
      type: 'wordpress',
      url: 'http://127.0.0.1:9/',
      user: null,
      channel,
      select: '',
      preset: null,
      fieldMap: {},
      required: [],
      delivery: 'automatic',
      options: {},
    });
    // Channels web and print allowed, web needs a release the picture lacks.
    ctx.lib.db.prepare(`UPDATE asset_rights SET channels = '["print","web"]' WHERE asset_id = ?`).run(id);
    const f = readFields(db, id);
    const lacking = channelsLackingRelease(db, id, f);
    expect(lacking).toEqual(['web']);
    const web = checkGate(ep('web'), 'approved', f, lacking);
    expect(web).toMatchObject({ ok: false, pull: false });
    expect(web.ok === false && web.reason).toMatch(/^no model release/);
    expect(checkGate(ep('print'), 'approved', f, lacking)).toEqual({ ok: true });
    // With a release recorded nothing is lacking.
    ctx.lib.db.prepare(`UPDATE asset_rights SET model_release = 'unlimited' WHERE asset_id = ?`).run(id);
    expect(channelsLackingRelease(db, id)).toEqual([]);
    ctx.lib.db.prepare(`UPDATE asset_rights SET model_release = NULL WHERE asset_id = ?`).run(id);
  });

  it('dam config, dam show --json and dam approve say the same', async () => {
    await ctx.lib.close();
    const dam = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, ...args], { encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    expect(dam('config', 'model-release-channels').out.trim()).toBe('model-release-channels web,social');
    expect(dam('config', 'model-release-channels', 'none').out.trim()).toBe('model-release-channels none');
    expect(dam('config', 'model-release-channels', 'print,web').out.trim()).toBe(
      'model-release-channels web,print',
    );
    const wrong = dam('config', 'model-release-channels', 'tv');
    expect(wrong.code).toBe(1);
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    const shown = JSON.parse(dam('show', String(ids['portrait.jpg']), '--json').out) as Asset;
    expect(shown.warnings).toContain('no-model-release');
    expect(shown.faces).toBe(1);
    // Approved for print only; with print now in the rule, approving it again is refused, in one line.
    const id = String(ids['portrait.jpg']);
    expect(dam('retire', id).code).toBe(0);
    expect(dam('submit', id).code).toBe(0);
    const refused = dam('approve', id);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/no model release, and people are in the picture \(web and print need one/);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(dam('set', id, 'modelRelease=unlimited').code).toBe(0);
    const approved = dam('approve', id);
    expect(approved.code, approved.err).toBe(0);
    expect((JSON.parse(dam('show', id, '--json').out) as Asset).warnings).not.toContain('no-model-release');
  });
});
