import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api';
import { registerIpc } from '../../electron/main/ipc-adapter';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import type { ApiError, OpName } from '../../shared/contract';
import { makeImage } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { IpcMainStandIn, request } from '../helpers/bridges';
import { CLI, freshLibrary } from '../helpers/library';

/** A contract call over HTTP, the way the renderer makes it: its status and parsed body. */
async function post(
  port: number,
  token: string,
  name: string,
  input: unknown,
): Promise<{ status: number; body: unknown }> {
  const r = await request(port, `/api/${name}`, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  return { status: r.status, body: JSON.parse(r.text) as unknown };
}

describe('typed errors through the contract', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let bridge: RunningBridge;
  let root: string;
  let staticDir: string;
  let alone: number;
  const ipc = new IpcMainStandIn();

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-errors-root-');
    staticDir = tempDir('dam-errors-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    await makeImage(root, 'harbour.jpg', 'jpeg', 320, 200);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    alone = ctx.lib.searchIds('harbour')[0]!;
    registerIpc(ipc as never, createHandlers(ctx.lib), () => true);
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  /** The same call over both adapters: the same error value, and over HTTP its status. */
  async function fails(name: OpName, input: unknown, status: number): Promise<ApiError> {
    const viaIpc = (await ipc.invoke('app://tessera/', 'dam:call', name, input)) as {
      ok: boolean;
      error: ApiError;
    };
    const viaHttp = await post(bridge.port, bridge.token, name, input);
    expect(viaIpc.ok, name).toBe(false);
    expect(viaHttp.body, name).toEqual(viaIpc);
    expect(viaHttp.status, name).toBe(status);
    return viaIpc.error;
  }

  it('says not-found (404) for what does not exist', async () => {
    expect(await fails('assets.history', { id: 99_999 }, 404)).toEqual({
      code: 'not-found',
      message: 'no asset 99999 in the catalogue',
    });
    expect(await fails('versions.list', { id: 99_999 }, 404)).toMatchObject({ code: 'not-found' });
    expect(await fails('roots.add', { path: path.join(root, 'no-such-folder') }, 404)).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^folder not found: /),
    });
    expect(await fails('history.restore', { id: alone, hash: 'a'.repeat(64) }, 404)).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/is not one of the contents kept/),
    });
  });

  it('says conflict (409) for a root that is already there or overlaps one', async () => {
    expect(await fails('roots.add', { path: root }, 409)).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^already catalogued: /),
    });
    fs.mkdirSync(path.join(root, 'inner'), { recursive: true });
    expect(await fails('roots.add', { path: path.join(root, 'inner') }, 409)).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/is inside the root/),
    });
  });

  it('says invalid-input (422) for a query that does not parse, with the reason query', async () => {
    expect(await fails('assets.search', { query: 'date:tomorrow' }, 422)).toEqual({
      code: 'invalid-input',
      reason: 'query',
      message: expect.stringMatching(/^date: expects a date/),
    });
    expect(await fails('assets.ids', { query: 'rating:lots' }, 422)).toMatchObject({ reason: 'query' });
  });

  it('refuses (403) with a reason code, and says what only the desktop can do', async () => {
    expect(await fails('versions.setCurrent', { id: alone }, 403)).toEqual({
      code: 'refused',
      reason: 'not-stacked',
      message: `asset ${alone} is not in a version stack`,
    });
    expect(await fails('desktop.reveal', { id: alone }, 501)).toEqual({
      code: 'unavailable',
      reason: 'desktop-only',
      message: 'this works in the desktop app only',
    });
  });

  it('answers an approval refusal per asset with its reason and the facts to word it by', async () => {
    const call = async (name: OpName, input: unknown) =>
      (await post(bridge.port, bridge.token, name, input)).body as { ok: boolean; value: unknown };
    const early = await call('assets.transition', { ids: [alone], action: 'approve' });
    expect(early.value).toEqual([
      {
        id: alone,
        ok: false,
        state: 'draft',
        error: {
          code: 'refused',
          reason: 'wrong-state',
          detail: { state: 'draft' },
          message: `cannot approve asset ${alone}: it is draft (submit it for review first)`,
        },
      },
    ]);
    await call('assets.transition', { ids: [alone], action: 'submit' });
    const bare = await call('assets.transition', { ids: [alone, 99_999], action: 'approve' });
    expect(bare.value).toEqual([
      {
        id: alone,
        ok: false,
        state: 'in-review',
        error: {
          code: 'refused',
          reason: 'rights-required',
          detail: { missing: ['no-credit', 'no-license'] },
          message: expect.stringMatching(
            /^cannot approve asset \d+: no credit line, no licence type \(rights/,
          ),
        },
      },
      {
        id: 99_999,
        ok: false,
        state: 'draft',
        error: { code: 'not-found', message: 'no asset 99999 in the catalogue' },
      },
    ]);
  });

  it('the CLI prints a typed error as its one line and exits 1, a usage error 2', () => {
    const dam = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, ...args], {
        encoding: 'utf8',
        env: { ...process.env, DAM_CATALOG: '' },
      });
    for (const [args, line] of [
      [['search', 'date:tomorrow'], /^dam: date: expects a date/],
      [['show', '99999'], /^dam: no asset 99999 in the catalogue$/],
      [['set', String(alone), 'nonsense=1'], /^dam: unknown field "nonsense"/],
      [['versions', String(alone), '--set-current'], /^dam: asset \d+ is not in a version stack$/],
    ] as const) {
      const r = dam(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
