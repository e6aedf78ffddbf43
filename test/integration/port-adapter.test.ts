import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { librarySide, serveCore } from '../../electron/core/port-adapter';
import { connectCore, type CoreClient } from '../../electron/main/core-client';
import { forwardEvents, registerIpc } from '../../electron/main/ipc-adapter';
import { holdQuitUntilClosed, within } from '../../electron/main/quit';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import type { OpName } from '../../shared/contract';
import { tempDir } from '../helpers/corpus';
import { IpcMainStandIn, request } from '../helpers/bridges';
import { freshLibrary, waitFor } from '../helpers/library';

// The desktop shell runs the core in an Electron utilityProcess and talks to it over a
// MessagePortMain. The Electron binary cannot run here, so a worker_threads MessageChannel STANDS
// IN for that port: the same structured-clone messages, one end given to the core side
// (serveCore over a real Library), the other to the shell's client. Everything behind the port is
// real: SQLite file, files on disk, thumbnails.

async function photos(root: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await sharp({
      create: {
        width: 320 + i * 8,
        height: 240,
        channels: 3,
        background: { r: 40 * i, g: 120, b: 200 - 30 * i },
      },
    })
      .jpeg()
      .toFile(path.join(root, `frame-${i}.jpg`));
  }
}

describe('the core over a message port (worker_threads MessageChannel standing in for MessagePortMain)', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  let bridge: RunningBridge;
  let channel: MessageChannel;
  let core: CoreClient;
  const ipc = new IpcMainStandIn();

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-port-root-');
    await photos(root, 3);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir: tempDir('dam-port-static-') });
    channel = new MessageChannel();
    serveCore(channel.port1, librarySide(ctx.lib));
    core = connectCore(channel.port2);
    registerIpc(ipc as never, core.call, (url) => url.startsWith('app://tessera'));
  });
  afterAll(async () => {
    channel.port1.close();
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' });
  const viaHttp = async (name: string, input: unknown) =>
    JSON.parse(
      (
        await request(bridge.port, `/api/${name}`, {
          method: 'POST',
          body: JSON.stringify(input),
          headers: auth(),
        })
      ).body.toString(),
    );
  const viaIpc = (name: string, input: unknown) =>
    ipc.invoke('app://tessera/index.html', 'dam:call', name, input);

  it('answers every operation as the HTTP bridge does, renderer IPC forwarded through the port', async () => {
    const cases: [OpName, unknown][] = [
      ['roots.list', {}],
      ['assets.search', { query: 'frame', limit: 10 }],
      ['assets.ids', { query: '' }],
      ['assets.get', { ids: [1, 2, 3] }],
      ['stats', {}],
      ['facets', {}],
      ['keywords.suggest', { prefix: '' }],
      ['history.status', {}],
    ];
    for (const [name, input] of cases) {
      const overPort = await core.call(name, input);
      expect(overPort, name).toMatchObject({ ok: true });
      expect(overPort, name).toEqual(await viaHttp(name, input));
      expect(await viaIpc(name, input), name).toEqual(overPort);
    }
    const found = await core.call('assets.search', { query: 'frame', limit: 10 });
    expect(found.ok && (found.value as { total: number }).total).toBe(3);
  });

  it('answers assets.ids a bounded page at a time, with more while ids remain', async () => {
    const all = await core.call('assets.ids', { query: '', sort: 'name', dir: 'asc' });
    expect(all).toMatchObject({ ok: true, value: { more: false } });
    const ids = (all as { value: { ids: number[] } }).value.ids;
    expect(ids).toHaveLength(3);
    const first = { query: '', sort: 'name', dir: 'asc', limit: 2 };
    expect(await core.call('assets.ids', first)).toEqual({
      ok: true,
      value: { ids: ids.slice(0, 2), more: true },
    });
    expect(await viaHttp('assets.ids', first)).toEqual(await core.call('assets.ids', first));
    expect(await core.call('assets.ids', { ...first, offset: 2 })).toEqual({
      ok: true,
      value: { ids: ids.slice(2), more: false },
    });
    expect(await core.call('assets.ids', { query: '', limit: 100_001 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('carries the same typed errors, codes and reasons: invalid input, unknown operation, not found, desktop only', async () => {
    const cases: [string, unknown, object][] = [
      ['assets.get', { ids: 'all' }, { code: 'invalid-input' }],
      ['assets.search', { query: 'x', extra: 1 }, { code: 'invalid-input' }],
      ['fs.readFile', { path: '/etc/passwd' }, { code: 'unknown-operation' }],
      ['assets.search', { query: 'date:tomorrow' }, { code: 'invalid-input', reason: 'query' }],
      ['desktop.reveal', { id: 1 }, { code: 'unavailable', reason: 'desktop-only' }],
      ['versions.list', { id: 999_999 }, { code: 'not-found' }],
    ];
    for (const [name, input, error] of cases) {
      const overPort = await core.call(name, input);
      expect(overPort, name).toMatchObject({ ok: false, error });
      expect(overPort, name).toEqual(await viaHttp(name, input));
    }
  });

  it('edits through the port, seen by the HTTP bridge, and pushes the events', async () => {
    const seen: string[] = [];
    const offs = [
      core.on('catalog-changed', (p) => seen.push(`changed:${p.assetIds.join(',')}`)),
      core.on('scan-progress', (p) => seen.push(`scan:${p.phase}`)),
    ];
    const ids = await core.call('assets.ids', { query: 'frame-1' });
    expect(ids.ok).toBe(true);
    const [id] = (ids as { value: { ids: number[] } }).value.ids;
    const edit = await core.call('assets.edit', { ids: [id], patch: { rating: 3, keywordsAdd: ['port'] } });
    expect(edit).toMatchObject({ ok: true, value: { updated: 1 } });
    const viaBridge = await viaHttp('assets.get', { ids: [id] });
    expect(viaBridge.value[0]).toMatchObject({ rating: 3, keywords: ['port'] });
    expect(await core.call('scan', {})).toMatchObject({ ok: true, value: { files: 3 } });
    // Events are posted before the call's answer, and a port keeps message order.
    expect(seen).toContain(`changed:${id}`);
    expect(seen).toContain('scan:done');
    offs.forEach((off) => off());
    const after = seen.length;
    ctx.lib.events.emit('catalog-changed', { assetIds: [7] });
    await core.call('stats', {});
    expect(seen.length).toBe(after);
  });

  it('forwards the pushed events to a window', async () => {
    const sent: unknown[][] = [];
    const stop = forwardEvents(core, {
      send: (...args: unknown[]) => sent.push(args),
      isDestroyed: () => false,
    });
    ctx.lib.events.emit('warning', { rootId: null, message: 'disk nearly full' });
    await core.call('stats', {});
    stop();
    expect(sent).toEqual([['dam:event', 'warning', { rootId: null, message: 'disk nearly full' }]]);
  });

  it('resolves media to the file the HTTP bridge serves, with the same refusals', async () => {
    const [id] = ((await core.call('assets.ids', { query: 'frame-0' })) as { value: { ids: number[] } }).value
      .ids;
    const thumb = await core.media('thumb', id!, null);
    expect(thumb.ok).toBe(true);
    const overHttp = await request(bridge.port, `/media/thumb/${id}`, { headers: auth() });
    expect(overHttp.status).toBe(200);
    expect(fs.readFileSync((thumb as { file: string }).file).equals(overHttp.body)).toBe(true);
    expect(await core.media('thumb', 999_999, null)).toMatchObject({ ok: false, status: 404 });
    expect((await request(bridge.port, '/media/thumb/999999', { headers: auth() })).status).toBe(404);
    expect(await core.media('snapshot', id!, 'nope')).toMatchObject({ ok: false, status: 400 });
    expect(await core.media('../etc' as never, id!, null)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('closing the core over its port', () => {
  it('closes the catalogue before answering, then refuses calls', async () => {
    const ctx = freshLibrary();
    const channel = new MessageChannel();
    serveCore(channel.port1, librarySide(ctx.lib));
    const core = connectCore(channel.port2);
    expect(await core.call('stats', {})).toMatchObject({ ok: true });
    await core.close();
    expect(ctx.lib.db.open).toBe(false);
    expect(await core.call('stats', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: /closing/ },
    });
    channel.port1.close();
    fs.rmSync(ctx.dir, { recursive: true, force: true });
  });

  it('answers waiting and later calls with an error when the core is gone', async () => {
    const channel = new MessageChannel();
    // Nothing answers on port1: the core's process has died.
    const core = connectCore(channel.port2 as MessagePort);
    const waiting = core.call('stats', {});
    core.fail('the catalogue process stopped (exit code 1)');
    expect(await waiting).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'the catalogue process stopped (exit code 1)' },
    });
    expect(await core.media('thumb', 1, null)).toMatchObject({ ok: false, status: 503 });
    await core.close();
    channel.port1.close();
  });
});

/** Stand-in for Electron's `app` (no Electron binary here): quit() fires before-quit, as Electron does. */
class AppStandIn {
  private listeners: ((e: { preventDefault(): void }) => void)[] = [];
  quits = 0;
  prevented = 0;
  exited = false;
  on(_event: 'before-quit', fn: (e: { preventDefault(): void }) => void) {
    this.listeners.push(fn);
  }
  quit() {
    this.quits++;
    let prevented = false;
    for (const fn of this.listeners) fn({ preventDefault: () => (prevented = true) });
    if (prevented) this.prevented++;
    else this.exited = true;
  }
}

describe('quitting the desktop app', () => {
  it('holds quit until the catalogue has closed over the port, then quits once', async () => {
    const ctx = freshLibrary();
    const channel = new MessageChannel();
    serveCore(channel.port1, librarySide(ctx.lib));
    const core = connectCore(channel.port2);
    const app = new AppStandIn();
    let closes = 0;
    let openWhenQuitGoesOn: boolean | undefined;
    holdQuitUntilClosed(app, async () => {
      closes++;
      await core.close();
      openWhenQuitGoesOn = ctx.lib.db.open;
    });
    app.quit();
    app.quit(); // a second Cmd+Q while closing
    expect(app.exited).toBe(false);
    await waitFor(() => app.exited, 10_000, 'the app to quit');
    expect(closes).toBe(1);
    expect(openWhenQuitGoesOn).toBe(false);
    expect(app.prevented).toBe(2);
    channel.port1.close();
    fs.rmSync(ctx.dir, { recursive: true, force: true });
  });

  it('quits even when the core does not answer the close', async () => {
    const channel = new MessageChannel();
    const core = connectCore(channel.port2); // nothing serves port1: a hung core
    const app = new AppStandIn();
    holdQuitUntilClosed(app, () => within(50, core.close()));
    app.quit();
    await waitFor(() => app.exited, 10_000, 'the app to quit');
    channel.port1.close();
    channel.port2.close();
  });
});
