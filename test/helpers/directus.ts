/**
 * A real Directus 11 for tests: `directus` 11.3.5 from npm (the last to run on Node 20), installed
 * once outside the repository by scripts/directus-install.mjs (~/.cache/tessera-directus/11.3.5, or
 * $TESSERA_DIRECTUS_DIR; `npm run test:directus` runs it first, and this helper runs it when it has
 * not been), bootstrapped with SQLite in a temp folder of its own, started on a free loopback port, with
 * a static token for its admin. One per test file:
 *
 *   const dx = useDirectus();
 *   it('...', async () => {
 *     dx.site.url, dx.site.token;
 *     await dx.site.api('GET', '/files');     // as the admin: status and parsed JSON
 *   });
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './corpus';
import { freePort } from './fault-proxy';

const INSTALLER = path.join(__dirname, '..', '..', 'scripts', 'directus-install.mjs');

export interface DirectusSite {
  url: string;
  /** The admin's static token (Authorization: Bearer). */
  token: string;
  email: string;
  password: string;
  dir: string;
  api(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The bytes served at /assets/ID (with the token), or the status when it is not served. */
  asset(id: string): Promise<Buffer | number>;
  stop(): Promise<void>;
}

/** Installs Directus when it is not (minutes, once per machine); its folder. */
export function ensureDirectus(): string {
  const r = spawnSync(process.execPath, [INSTALLER, '--print-dir'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scripts/directus-install.mjs failed (exit ${r.status})`);
  return r.stdout.trim();
}

export async function startDirectus(): Promise<DirectusSite> {
  const install = ensureDirectus();
  const cli = path.join(install, 'node_modules', 'directus', 'cli.js');
  const dir = tempDir('dam-directus-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const email = 'admin@example.com';
  const password = `pw-${crypto.randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DB_CLIENT: 'sqlite3',
    DB_FILENAME: path.join(dir, 'data.db'),
    KEY: crypto.randomUUID(),
    SECRET: crypto.randomBytes(24).toString('hex'),
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_DRIVER: 'local',
    STORAGE_LOCAL_ROOT: path.join(dir, 'uploads'),
    EXTENSIONS_PATH: path.join(dir, 'extensions'),
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    CACHE_ENABLED: 'false',
    RATE_LIMITER_ENABLED: 'false',
    // Its pressure limiter answers 503 while the event loop lags: on a busy test machine, at random.
    PRESSURE_LIMITER_ENABLED: 'false',
    WEBSOCKETS_ENABLED: 'false',
  };
  fs.mkdirSync(path.join(dir, 'uploads'));
  fs.mkdirSync(path.join(dir, 'extensions'));
  const log = fs.openSync(path.join(dir, 'directus.log'), 'a');
  // isolated-vm (which Directus loads at start) asks for --no-node-snapshot on Node 20.
  const node = [process.execPath, '--no-node-snapshot', cli];
  const boot = spawnSync(node[0]!, [...node.slice(1), 'bootstrap'], {
    cwd: dir,
    env,
    stdio: ['ignore', log, log],
    timeout: 300_000,
  });
  if (boot.status !== 0)
    throw new Error(
      `directus bootstrap failed (${boot.status}): ${fs.readFileSync(path.join(dir, 'directus.log'), 'utf8').slice(-2000)}`,
    );
  const child: ChildProcess = spawn(node[0]!, [...node.slice(1), 'start'], {
    cwd: dir,
    env,
    stdio: ['ignore', log, log],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    }
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (exited)
        throw new Error(
          `directus exited at start: ${fs.readFileSync(path.join(dir, 'directus.log'), 'utf8').slice(-2000)}`,
        );
      const ok = await fetch(`${url}/server/ping`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 1200) throw new Error('directus did not answer within 2 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    // A static token for the admin: logged in once, then set on the user (Directus keeps it as is).
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const access = ((await login.json()) as { data?: { access_token?: string } }).data?.access_token;
    if (!access) throw new Error(`directus login failed (HTTP ${login.status})`);
    const token = `tessera-test-${crypto.randomBytes(16).toString('hex')}`;
    const set = await fetch(`${url}/users/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
      body: JSON.stringify({ token }),
    });
    if (!set.ok) throw new Error(`directus: setting the static token failed (HTTP ${set.status})`);
    const api = async (method: string, route: string, body?: unknown) => {
      const r = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
    };
    const asset = async (id: string) => {
      const r = await fetch(`${url}/assets/${id}`, { headers: { authorization: `Bearer ${token}` } });
      return r.ok ? Buffer.from(await r.arrayBuffer()) : r.status;
    };
    return { url, token, email, password, dir, api, asset, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One Directus for the test file: started in beforeAll (installed first when it is not), stopped in afterAll. */
export function useDirectus(): { readonly site: DirectusSite } {
  let site: DirectusSite | null = null;
  // The first run on a machine installs it (minutes); later ones start it.
  beforeAll(async () => {
    site = await startDirectus();
  }, 1_200_000);
  afterAll(async () => {
    await site?.stop();
  });
  return {
    get site() {
      if (!site) throw new Error('the Directus test server is not started (use it inside a test)');
      return site;
    },
  };
}
