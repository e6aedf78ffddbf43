import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpBridge, type RunningBridge } from '../../electron/server/http-bridge';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';
import { dam } from '../helpers/serve';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(
  port: number,
  pathName: string,
  opts: {
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    agent?: http.Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathName,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

// Root ignores file permissions: to meet a real EACCES the server runs as "nobody" (as
// permissions.test.ts does for the CLI).
const asRoot = process.getuid?.() === 0;
const AS_NOBODY = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all'];

/** A real `dam serve` process, optionally as nobody and under an open-file limit. */
async function serve(
  catalog: string,
  opts: { nobody?: boolean; nofile?: number } = {},
): Promise<{ port: number; token: string; proc: ChildProcess; stderr: () => string; stop(): Promise<void> }> {
  const cmd = [
    ...(opts.nofile ? ['prlimit', `--nofile=${opts.nofile}:${opts.nofile}`, '--'] : []),
    ...(opts.nobody && asRoot ? AS_NOBODY : []),
    process.execPath,
    CLI,
    '--catalog',
    catalog,
    'serve',
    '--port',
    '0',
  ];
  const proc = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!.trim());
    });
    proc.once('exit', (code) => reject(new Error(`dam serve exited with ${code}: ${err}`)));
  });
  const u = new URL(url);
  return {
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    proc,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

describe.runIf(process.platform === 'linux')('dam serve survives bad media files', () => {
  let root: string;
  let catalog: string;
  let thumbs: { id: number; file: string }[];
  let running: Awaited<ReturnType<typeof serve>> | undefined;

  beforeAll(async () => {
    root = tempDir('dam-serve-root-');
    catalog = tempDir('dam-serve-cat-');
    fs.chmodSync(root, 0o755);
    for (const [i, colour] of [
      [1, { r: 200, g: 30, b: 30 }],
      [2, { r: 30, g: 200, b: 30 }],
      [3, { r: 30, g: 30, b: 200 }],
      [4, { r: 200, g: 200, b: 30 }],
    ] as const) {
      await sharp({ create: { width: 640 + i * 16, height: 480, channels: 3, background: colour } })
        .jpeg()
        .toFile(path.join(root, `photo-${i}.jpg`));
    }
    dam(catalog, 'add-root', root);
    dam(catalog, 'scan');
    const db = new Database(path.join(catalog, 'catalog.sqlite'), { readonly: true });
    const rows = db
      .prepare(
        `SELECT s.asset_id AS id, f.thumb AS thumb FROM asset_search s JOIN files f ON f.id = s.file_id ORDER BY s.asset_id`,
      )
      .all() as { id: number; thumb: string }[];
    db.close();
    thumbs = rows.map((r) => ({ id: r.id, file: path.join(catalog, 'thumbs', r.thumb) }));
    expect(thumbs).toHaveLength(4);
    for (const t of thumbs) expect(fs.statSync(t.file).isFile()).toBe(true);
    if (asRoot) {
      // The server runs as nobody in the EACCES case: it must own its catalogue.
      for (const p of walk(catalog)) fs.chownSync(p, 65534, 65534);
    }
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(catalog, { recursive: true, force: true });
  });

  const thumb = (s: { port: number; token: string }, id: number, agent?: http.Agent) =>
    request(s.port, `/media/thumb/${id}`, {
      headers: { Authorization: `Bearer ${s.token}` },
      ...(agent ? { agent } : {}),
    });

  it('answers a thumbnail replaced by a folder (EISDIR) with an error, and keeps serving', async () => {
    const bad = thumbs[0]!;
    const saved = fs.readFileSync(bad.file);
    fs.rmSync(bad.file);
    fs.mkdirSync(bad.file);
    try {
      running = await serve(catalog, { nobody: true });
      const r = await thumb(running, bad.id);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toMatch(/EISDIR|\/thumbs\//);
      const good = await thumb(running, thumbs[1]!.id);
      expect(good.status).toBe(200);
      expect(running.proc.exitCode).toBeNull();
    } finally {
      fs.rmdirSync(bad.file);
      fs.writeFileSync(bad.file, saved);
      if (asRoot) fs.chownSync(bad.file, 65534, 65534);
    }
  });

  it('answers an unreadable thumbnail (EACCES) with an error, and keeps serving', async () => {
    const bad = thumbs[2]!;
    fs.chmodSync(bad.file, 0o000);
    try {
      running = await serve(catalog, { nobody: true });
      const r = await thumb(running, bad.id);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(600);
      expect((await thumb(running, thumbs[1]!.id)).status).toBe(200);
      expect(running.proc.exitCode).toBeNull();
    } finally {
      fs.chmodSync(bad.file, 0o644);
    }
  });

  it('bounds concurrent media reads: 300 thumbnails at once under a 256 open-file limit all arrive', async () => {
    running = await serve(catalog, { nobody: true, nofile: 256 });
    // 150 connections at once (each one an open socket in the server, beside its ~35 others), 300
    // requests: unbounded, their file reads alone would pass the limit.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 150 });
    try {
      const replies = await Promise.all(
        Array.from({ length: 300 }, (_, i) => thumb(running!, thumbs[i % thumbs.length]!.id, agent)),
      );
      const statuses = replies.map((r) => r.status);
      expect(
        statuses.filter((s) => s !== 200),
        running.stderr(),
      ).toEqual([]);
      expect(running.proc.exitCode).toBeNull();
      expect((await thumb(running, thumbs[3]!.id)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

function walk(dir: string): string[] {
  const out = [dir];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(...(e.isDirectory() ? walk(p) : [p]));
  }
  return out;
}

describe('the HTTP bridge answers bad requests with 4xx, the same for every outside path', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let bridge: RunningBridge;
  let staticDir: string;
  let outside: string;
  const auth = () => ({ Authorization: `Bearer ${bridge.token}` });

  beforeAll(async () => {
    ctx = freshLibrary();
    staticDir = tempDir('dam-static-');
    outside = tempDir('dam-outside-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tessera</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    // A link inside the UI folder to a file outside it: never followed.
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
    fs.symlinkSync(path.join(outside, 'nothing.txt'), path.join(staticDir, 'assets', 'dangling.txt'));
    bridge = await startHttpBridge(ctx.lib, { port: 0, staticDir });
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
    fs.rmSync(staticDir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('serves the UI files and falls back to index.html inside it', async () => {
    const js = await request(bridge.port, '/assets/app.js', { headers: auth() });
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log(1)');
    const page = await request(bridge.port, '/some/view', { headers: auth() });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<title>Tessera/);
  });

  it('gives one answer for every path outside the UI, whether it exists or not', async () => {
    const rel = path.relative(staticDir, outside).split(path.sep).join('%2F');
    const probes = [
      `/${rel}%2Fsecret.txt`,
      `/${rel}%2Fnothing.txt`,
      '/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/..%2F..%2F..%2F..%2Fetc%2Fno-such-file-here',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/hostname',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/none-such',
      '/assets/link.txt',
      '/assets/dangling.txt',
    ];
    const answers = await Promise.all(probes.map((p) => request(bridge.port, p, { headers: auth() })));
    for (const [i, a] of answers.entries()) {
      expect(a.body, probes[i]).not.toMatch(/secret|root:x:0:0/);
      expect(a.status, probes[i]).toBeLessThan(500);
      expect({ status: a.status, body: a.body }, probes[i]).toEqual({
        status: answers[0]!.status,
        body: answers[0]!.body,
      });
    }
  });

  it('answers a malformed % escape with 400, on a page and on the API', async () => {
    const page = await request(bridge.port, '/%E0%A4%A', { headers: auth() });
    expect(page.status).toBe(400);
    const api = await request(bridge.port, '/api/st%ZZats', { method: 'POST', body: '{}', headers: auth() });
    expect(api.status).toBe(400);
    const api2 = await request(bridge.port, '/api/%E0%A4%A', { method: 'POST', body: '{}', headers: auth() });
    expect(api2.status).toBe(400);
    expect(JSON.parse(api2.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('answers a 50 MB body with 413 and a clean close', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const r = await request(bridge.port, '/api/stats', {
      method: 'POST',
      body: big,
      headers: { ...auth(), 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // Still answering.
    const ok = await request(bridge.port, '/api/stats', { method: 'POST', body: '{}', headers: auth() });
    expect(ok.status).toBe(200);
  });

  it('answers a 50 MB body sent without a length (chunked) with 413 too', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: bridge.port, path: '/api/stats', method: 'POST', headers: auth() },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              body: Buffer.concat(chunks).toString(),
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 50; i++) req.write(chunk);
      req.end();
    });
    expect(r.status).toBe(413);
  });

  it('takes the token from the URL only on a page load, never on the API or media', async () => {
    const viaUrl = await request(bridge.port, `/api/stats?token=${bridge.token}`, {
      method: 'POST',
      body: '{}',
    });
    expect(viaUrl.status).toBe(401);
    const media = await request(bridge.port, `/media/thumb/1?token=${bridge.token}`);
    expect(media.status).toBe(401);
    const login = await request(bridge.port, `/?token=${bridge.token}`);
    expect(login.status).toBe(303);
    expect(login.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    const withCookie = await request(bridge.port, '/api/stats', {
      method: 'POST',
      body: '{}',
      headers: { Cookie: `dam_token=${bridge.token}` },
    });
    expect(withCookie.status).toBe(200);
    // A cookie from an earlier start (another token) does not block the new URL.
    const relogin = await request(bridge.port, `/?token=${bridge.token}`, {
      headers: { Cookie: 'dam_token=from-an-earlier-start' },
    });
    expect(relogin.status).toBe(303);
  });
});
