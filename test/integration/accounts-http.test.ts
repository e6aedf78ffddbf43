import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../electron/core/library';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import { makeImage } from '../fixtures/make-fixtures';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary, waitFor } from '../helpers/library';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(
  port: number,
  pathName: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathName, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const PASSWORD = 'a long enough password';

/** A browser's session: its cookies, sent back as a page of the server's own origin would. */
interface Session {
  id: string;
  csrf: string;
}

describe('dam serve with accounts: login, sessions, CSRF, throttling, roles and scope over real HTTP', () => {
  let lib: Library;
  let dispose: () => Promise<void>;
  let bridge: RunningBridge;
  let now = Date.now();
  const ids: Record<'a' | 'b', number> = { a: 0, b: 0 };
  let port = 0;
  const host = () => `127.0.0.1:${port}`;

  const login = async (name: string, password = PASSWORD, cookie?: string) => {
    const r = await request(port, '/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: `http://${host()}`,
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: JSON.stringify({ name, password }),
    });
    const cookies = (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
    const get = (n: string) => cookies.find((c) => c.startsWith(`${n}=`))?.slice(n.length + 1);
    return {
      reply: r,
      session: get('dam_session') ? { id: get('dam_session')!, csrf: get('dam_csrf')! } : undefined,
    };
  };
  const as = async (name: string): Promise<Session> => {
    const { reply, session } = await login(name);
    expect(reply.status, reply.body).toBe(200);
    return session!;
  };
  const call = (
    s: Session | undefined,
    op: string,
    input: unknown = {},
    extra: Record<string, string> = {},
  ) =>
    request(port, `/api/${op}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(s ? { Cookie: `dam_session=${s.id}; dam_csrf=${s.csrf}`, 'X-CSRF-Token': s.csrf } : {}),
        ...extra,
      },
      body: JSON.stringify(input),
    });
  const value = async <T>(s: Session, op: string, input: unknown = {}): Promise<T> => {
    const r = await call(s, op, input);
    expect(r.status, `${op}: ${r.body}`).toBe(200);
    return (JSON.parse(r.body) as { value: T }).value;
  };
  const media = (s: Session, kind: string, id: number) =>
    request(port, `/media/${kind}/${id}`, { headers: { Cookie: `dam_session=${s.id}` } });

  beforeAll(async () => {
    ({ lib, dispose } = freshLibrary());
    const root = fs.realpathSync(tempDir('dam-accounts-root-'));
    await makeImage(root, 'in-a.jpg', 'jpeg', 64, 48);
    await makeImage(root, 'in-b.jpg', 'jpeg', 48, 64);
    lib.addRoot(root);
    await lib.scan();
    ids.a = lib.findAsset(path.join(root, 'in-a.jpg'))!.id;
    ids.b = lib.findAsset(path.join(root, 'in-b.jpg'))!.id;
    const a = lib.collections.create({ name: 'Client A' });
    const b = lib.collections.create({ name: 'Client B' });
    lib.collections.addAssets(a.id, [ids.a]);
    lib.collections.addAssets(b.id, [ids.b]);
    for (const [name, role] of [
      ['ana', 'admin'],
      ['apo', 'approver'],
      ['con', 'contributor'],
      ['vic', 'viewer'],
      ['guessed', 'viewer'],
    ] as const)
      await lib.accounts.add({
        name,
        role,
        password: PASSWORD,
        ...(name === 'vic' ? { collections: [a.id] } : {}),
      });
    bridge = await startHttpBridge(lib, { staticDir: tempDir('dam-accounts-ui-'), clock: () => now });
    port = bridge.port;
  });
  afterAll(async () => {
    await bridge?.close();
    await dispose();
  });

  it('asks for a login: pages go to the login page, the API and media answer 401, the token opens nothing', async () => {
    expect(bridge.mode).toBe('accounts');
    expect(bridge.url).not.toContain('token');
    const page = await request(port, '/library?x=1');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Flibrary%3Fx%3D1');
    const form = await request(port, '/login');
    expect(form.status).toBe(200);
    expect(form.body).toContain('type="password"');
    expect((await call(undefined, 'stats')).status).toBe(401);
    expect((await request(port, `/media/thumb/${ids.a}`)).status).toBe(401);
    expect((await call(undefined, 'stats', {}, { Authorization: `Bearer ${bridge.token}` })).status).toBe(
      401,
    );
    expect((await request(port, `/?token=${bridge.token}`)).status).toBe(303);
  });

  it('gives the same answer for an unknown name and a wrong password, and a session cookie that is HttpOnly and SameSite=Strict', async () => {
    const unknown = await login('nobody-here');
    const wrong = await login('ana', 'not the password');
    expect(unknown.reply.status).toBe(401);
    expect(wrong.reply.status).toBe(401);
    expect(unknown.reply.body).toBe(wrong.reply.body);
    expect(JSON.parse(wrong.reply.body).error.message).toBe('wrong name or password');
    const ok = await login('ana');
    const cookies = ok.reply.headers['set-cookie']!;
    expect(cookies.find((c) => c.startsWith('dam_session='))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith('dam_session='))).toMatch(/SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('dam_csrf='))).not.toMatch(/HttpOnly/);
    lib.accounts.unlock('ana');
  });

  it('never accepts a session id from before the login after it (fixation), nor the one a new login replaced', async () => {
    const planted = 'chosen-by-an-attacker-0123456789';
    const { session } = await login('con', PASSWORD, `dam_session=${planted}`);
    expect(session!.id).not.toBe(planted);
    expect((await call({ id: planted, csrf: session!.csrf }, 'session.me')).status).toBe(401);
    const again = await login('con', PASSWORD, `dam_session=${session!.id}`);
    expect(again.session!.id).not.toBe(session!.id);
    expect((await call(session, 'session.me')).status).toBe(401);
    expect(await value(again.session!, 'session.me')).toMatchObject({
      name: 'con',
      role: 'contributor',
      mode: 'account',
    });
  });

  it('refuses a state-changing request without the CSRF token or from another origin', async () => {
    const s = await as('ana');
    const noToken = await request(port, '/api/stats', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `dam_session=${s.id}` },
      body: '{}',
    });
    expect(noToken.status).toBe(403);
    const crossSite = await call(
      s,
      'assets.setFields',
      { ids: [ids.a], patch: { title: 'from evil' } },
      {
        Origin: 'http://evil.example',
      },
    );
    expect(crossSite.status).toBe(403);
    const crossLogin = await request(port, '/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'ana', password: PASSWORD }),
    });
    expect(crossLogin.status).toBe(403);
    // A cross-site form can only post url-encoded fields: never a login.
    const form = await request(port, '/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `name=ana&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(415);
    expect(lib.asset(ids.a)!.title).toBeNull();
    expect((await call(s, 'stats')).status).toBe(200);
  });

  it('slows password guessing down, then locks the account (counted attempts, a stepped clock)', async () => {
    const answers: number[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const r = await login('guessed', `guess number ${attempt}`);
      answers.push(r.reply.status);
      if (r.reply.status === 429) {
        // Refused before the password is even looked at, and not counted: step the clock past the wait.
        const wait = Number(r.reply.headers['retry-after']);
        expect(wait).toBeGreaterThan(0);
        if (/locked/.test(r.reply.body)) break;
        now += wait * 1000;
      }
    }
    // Three at once, then each failure makes the next try wait (twice as long each time).
    expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(answers[4]).toBe(429);
    expect(answers.filter((s) => s === 401)).toHaveLength(10);
    const right = await login('guessed');
    expect(right.reply.status).toBe(429);
    expect(JSON.parse(right.reply.body).error.message).toMatch(/locked after 10 failed logins/);
    const info = lib.accounts.get('guessed');
    expect(info.failedLogins).toBe(10);
    expect(info.lockedUntil).not.toBeNull();
    lib.accounts.unlock('guessed');
    // Unlocked, the account logs in once this address's own wait (it guessed too) has passed.
    let after = await login('guessed');
    expect(after.reply.status).toBe(429);
    expect(JSON.parse(after.reply.body).error.message).toMatch(/too many failed logins: try again after/);
    now += Number(after.reply.headers['retry-after']) * 1000;
    after = await login('guessed');
    expect(after.reply.status).toBe(200);
  });

  it('logs out one session, and "log out everywhere" ends every other one', async () => {
    const laptop = await as('apo');
    const phone = await as('apo');
    const out = await request(port, '/logout', {
      method: 'POST',
      headers: { Cookie: `dam_session=${phone.id}`, 'X-CSRF-Token': phone.csrf, Origin: `http://${host()}` },
    });
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']!.join(' ')).toMatch(/dam_session=;.*Max-Age=0/);
    expect((await call(phone, 'session.me')).status).toBe(401);
    const tablet = await as('apo');
    expect(await value(laptop, 'session.logoutEverywhere')).toEqual({ ended: 2 });
    expect((await call(tablet, 'session.me')).status).toBe(401);
    expect((await call(laptop, 'session.me')).status).toBe(401);
  });

  it('lets each role do only what it may (403 and nothing changed), and records the user as the actor', async () => {
    const vic = await as('vic');
    const con = await as('con');
    const apo = await as('apo');
    const ana = await as('ana');
    const refusedFor = async (s: Session, op: string, input: unknown) => {
      const r = await call(s, op, input);
      expect(r.status, `${op}: ${r.body}`).toBe(403);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'refused', reason: 'role' });
    };
    await refusedFor(vic, 'assets.setFields', { ids: [ids.a], patch: { title: 'viewer edit' } });
    await refusedFor(vic, 'assets.edit', { ids: [ids.a], patch: { rating: 5 } });
    await refusedFor(con, 'assets.transition', { ids: [ids.a], action: 'approve' });
    await refusedFor(apo, 'roots.add', { path: '/tmp' });
    await refusedFor(apo, 'users.list', {});
    await refusedFor(con, 'assets.export', { ids: [ids.a], preset: 'web', to: '/tmp/x' });
    expect(lib.asset(ids.a)).toMatchObject({ title: null, rating: null });

    await value(con, 'assets.setFields', {
      ids: [ids.a],
      patch: { title: 'By the contributor', credit: 'Studio' },
    });
    await value(con, 'assets.setFields', { ids: [ids.a], patch: { licenseType: 'cc-by' } });
    const submitted = await value<{ ok: boolean }[]>(con, 'assets.transition', {
      ids: [ids.a],
      action: 'submit',
    });
    expect(submitted[0]!.ok).toBe(true);
    const approved = await value<{ ok: boolean }[]>(apo, 'assets.transition', {
      ids: [ids.a],
      action: 'approve',
    });
    expect(approved[0]!.ok).toBe(true);
    expect(lib.asset(ids.a)!.approval).toMatchObject({ state: 'approved', by: 'apo' });
    const history = await value<{ kind: string; actor: string; field?: string }[]>(ana, 'assets.history', {
      id: ids.a,
    });
    expect(history.filter((h) => h.field === 'title').map((h) => h.actor)).toEqual(['con']);
    expect(await value<unknown[]>(ana, 'users.list')).toHaveLength(5);
  });

  /** An event stream as the UI's EventSource opens it: the frames seen so far, and a close. */
  const stream = (s: Session) =>
    new Promise<{ events: { name: string; data: unknown }[]; close(): void }>((resolve, reject) => {
      const events: { name: string; data: unknown }[] = [];
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/events', headers: { Cookie: `dam_session=${s.id}` } },
        (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            let end: number;
            while ((end = buf.indexOf('\n\n')) >= 0) {
              const frame = buf.slice(0, end);
              buf = buf.slice(end + 2);
              const name = /^event: (.+)$/m.exec(frame)?.[1];
              const data = /^data: (.+)$/m.exec(frame)?.[1];
              if (name && data) events.push({ name, data: JSON.parse(data) as unknown });
            }
          });
          // Resolved once connected: the server has registered the stream by then.
          res.once('data', () => resolve({ events, close: () => req.destroy() }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('sends each session only the events it may see: nothing naming assets outside its collections, role-only events to their roles', async () => {
    const [vic, con, ana] = [await as('vic'), await as('con'), await as('ana')];
    const [vicStream, conStream, anaStream] = [await stream(vic), await stream(con), await stream(ana)];
    try {
      // Real edits: each emits catalog-changed naming the asset.
      await value(ana, 'assets.setFields', { ids: [ids.b], patch: { credit: 'About B' } });
      await value(ana, 'assets.setFields', { ids: [ids.a], patch: { credit: 'About A' } });
      await value(ana, 'assets.setFields', { ids: [ids.a, ids.b], patch: { credit: 'Both' } });
      // What the core sends about the catalogue as a whole, and an upload portal's toast (the core's
      // own bus, as the scanner and the portal emit them).
      lib.events.emit('root-state', { rootId: 1, state: 'online', reason: null });
      lib.events.emit('job-progress', { done: 1, failed: 0, pending: 0, running: 0, perSecond: 0 });
      lib.events.emit('warning', { rootId: 1, message: 'cannot read in-b.jpg' });
      lib.events.emit('upload-received', {
        linkId: 1,
        uploader: 'Agency',
        note: null,
        path: 'Inbox/Agency/in-b.jpg',
        assetId: ids.b,
      });
      // The end marker every session may see ("anything may have changed" names nothing).
      lib.events.emit('catalog-changed', { assetIds: [] });
      const ended = (st: { events: { name: string; data: unknown }[] }) =>
        st.events.some(
          (e) => e.name === 'catalog-changed' && (e.data as { assetIds: number[] }).assetIds.length === 0,
        ) || undefined;
      for (const st of [vicStream, conStream, anaStream])
        await waitFor(() => ended(st), 10_000, 'the end marker');

      const changed = (st: typeof vicStream) =>
        st.events
          .filter((e) => e.name === 'catalog-changed')
          .map((e) => (e.data as { assetIds: number[] }).assetIds);
      // The viewer hears of its asset (alone, even from an edit of both), never of the other.
      expect(new Set(changed(vicStream).flat())).toEqual(new Set([ids.a]));
      expect(changed(vicStream).filter((l) => l.length)).toHaveLength(
        changed(conStream).filter((l) => l.includes(ids.a)).length,
      );
      expect(new Set(vicStream.events.map((e) => e.name))).toEqual(new Set(['catalog-changed']));
      expect(JSON.stringify(vicStream.events)).not.toContain('in-b');
      expect(new Set(changed(conStream).flat())).toEqual(new Set([ids.a, ids.b]));
      expect(conStream.events.map((e) => e.name)).toContain('root-state');
      expect(conStream.events.map((e) => e.name)).not.toContain('upload-received');
      expect(conStream.events.map((e) => e.name)).not.toContain('warning');
      expect(anaStream.events.map((e) => e.name)).toEqual(
        expect.arrayContaining(['root-state', 'job-progress', 'warning', 'upload-received']),
      );
    } finally {
      for (const st of [vicStream, conStream, anaStream]) st.close();
    }
  });

  it('records the logged-in account, not the OS user, for version operations, publications and exports', async () => {
    const [con, apo, ana] = [await as('con'), await as('apo'), await as('ana')];
    const os = lib.governance.actor.user;
    // Versions: con stacks the two, apo makes the other one current.
    await value(con, 'assets.setFields', { ids: [ids.b], patch: { credit: 'Studio', licenseType: 'cc-by' } });
    await value(con, 'versions.group', { ids: [ids.a, ids.b], currentId: ids.a });
    await value(apo, 'versions.setCurrent', { id: ids.b });
    const stackActors = lib.db
      .prepare(`SELECT DISTINCT actor FROM stack_log WHERE asset_id IN (?, ?) ORDER BY actor`)
      .pluck()
      .all(ids.a, ids.b);
    expect(stackActors).toEqual(['apo', 'con']);
    await value(con, 'versions.ungroup', { ids: [ids.a, ids.b] });

    // Publications: a webhook receiver in this process; ana adds it, apo publishes and retries.
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: 'https://cdn.example.test/a' }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      await value(ana, 'endpoints.add', {
        name: 'hook',
        type: 'webhook',
        url: hookUrl,
        password: 'a webhook secret',
        required: [],
        delivery: 'manual',
      });
      // The publishing gate wants it approved (an earlier test approves it; alone, this one does).
      if (lib.asset(ids.a)!.approval.state !== 'approved') {
        await value(con, 'assets.setFields', {
          ids: [ids.a],
          patch: { credit: 'Studio', licenseType: 'cc-by' },
        });
        for (const action of ['submit', 'approve'] as const)
          await value(apo, 'assets.transition', { ids: [ids.a], action });
      }
      const published = await value<{ outcome: string; reason: string | null }[]>(apo, 'publish.assets', {
        ids: [ids.a],
        endpoint: 'hook',
      });
      expect(
        published.map((r) => r.outcome),
        JSON.stringify(published),
      ).toEqual(['published']);
      const pubs = await value<{ endpoint: string; by: string }[]>(ana, 'publications.list', { id: ids.a });
      expect(pubs.map((p) => p.by)).toEqual(['apo']);
    } finally {
      await new Promise((r) => receiver.close(r));
    }

    // Exports: through the contract and the browser's zip, each counted as the account's download.
    const out = tempDir('dam-accounts-export-');
    await value(ana, 'assets.export', { ids: [ids.a], preset: 'web', to: out });
    const zip = await request(port, `/export.zip?preset=web&ids=${ids.a}`, {
      headers: { Cookie: `dam_session=${ana.id}` },
    });
    expect(zip.status, zip.body).toBe(200);
    // The original through its download route counts too; a HEAD (a check, no bytes) does not.
    const head = await request(port, `/media/original/${ids.a}`, {
      method: 'HEAD',
      headers: { Cookie: `dam_session=${ana.id}` },
    });
    expect(head.status).toBe(200);
    const original = await request(port, `/media/original/${ids.a}`, {
      headers: { Cookie: `dam_session=${ana.id}` },
    });
    expect(original.status).toBe(200);
    const usage = await value<{ events: { kind: string; by: string }[] }>(ana, 'usage.asset', {
      id: ids.a,
    });
    const downloads = usage.events.filter((e) => e.kind === 'download');
    expect(
      downloads.map((e) => e.by),
      `not ${os}`,
    ).toEqual(['ana', 'ana', 'ana']);
  });

  it('shows a viewer limited to a collection only its assets: search, get, history and every media route', async () => {
    const vic = await as('vic');
    const found = await value<{ items: { id: number }[]; total: number }>(vic, 'assets.search', {
      query: '',
    });
    expect(found.items.map((a) => a.id)).toEqual([ids.a]);
    expect((await value<{ ids: number[] }>(vic, 'assets.ids', { query: 'in' })).ids).toEqual([ids.a]);
    expect(
      (await value<{ id: number }[]>(vic, 'assets.get', { ids: [ids.a, ids.b] })).map((a) => a.id),
    ).toEqual([ids.a]);
    expect((await value<{ name: string }[]>(vic, 'collections.list')).map((c) => c.name)).toEqual([
      'Client A',
    ]);
    expect(await value(vic, 'session.me')).toMatchObject({ role: 'viewer', scope: [{ path: 'Client A' }] });

    // Outside the scope is exactly a missing asset.
    const outside = await call(vic, 'assets.history', { id: ids.b });
    const missing = await call(vic, 'assets.history', { id: 999_999 });
    expect(outside.status).toBe(404);
    expect(JSON.parse(outside.body).error).toEqual({
      code: 'not-found',
      message: `no asset ${ids.b} in the catalogue`,
    });
    expect(JSON.parse(missing.body).error).toEqual({
      code: 'not-found',
      message: 'no asset 999999 in the catalogue',
    });
    for (const kind of ['thumb', 'preview', 'original']) {
      const mine = await media(vic, kind, ids.a);
      expect(mine.status, `${kind} of its own asset`).toBe(200);
      const other = await media(vic, kind, ids.b);
      const none = await media(vic, kind, 999_999);
      expect(other.status, `${kind} of an asset outside`).toBe(404);
      expect(other.body).toBe(none.body);
    }
    const stats = await call(vic, 'stats');
    expect(stats.status).toBe(403);
    expect(JSON.parse(stats.body).error.reason).toBe('scope');
  });
});

describe('dam serve: binding and HTTPS', () => {
  it('refuses to listen beyond loopback without an account, with a clear message', () => {
    const cat = tempDir('dam-bind-cat-');
    const r = spawnSync(
      process.execPath,
      [CLI, '--catalog', cat, 'serve', '--host', '0.0.0.0', '--port', '0'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    fs.rmSync(cat, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^dam: refusing to serve on 0\.0\.0\.0 without accounts: .*dam user add/);
  });

  it('--https makes a self-signed certificate once, prints its fingerprint, and serves exactly that certificate', async () => {
    const cat = tempDir('dam-https-cat-');
    const server = spawn(process.execPath, [CLI, '--catalog', cat, 'serve', '--https', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!.trim());
        });
        server.once('exit', (code) => reject(new Error(`dam serve exited with ${code}: ${stderr}`)));
      });
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
      await new Promise<void>((r) => {
        const check = () => (/fingerprint/.test(stderr) ? r() : setTimeout(check, 50));
        check();
      });
      const printed = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(stderr)![1]!;
      const served = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect(
          { host: '127.0.0.1', port: Number(new URL(url).port), rejectUnauthorized: false },
          () => {
            resolve(socket.getPeerX509Certificate()!.fingerprint256);
            socket.end();
          },
        );
        socket.on('error', reject);
      });
      expect(served).toBe(printed);
      const key = path.join(cat, 'tls-key.pem');
      expect(fs.statSync(key).mode & 0o777).toBe(0o600);
      expect(new crypto.X509Certificate(fs.readFileSync(path.join(cat, 'tls-cert.pem'))).fingerprint256).toBe(
        printed,
      );
    } finally {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
      fs.rmSync(cat, { recursive: true, force: true });
    }
  });
});
