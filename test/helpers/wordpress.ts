/**
 * A real WordPress for tests: Debian's `wordpress` (6.1.x) on PHP's built-in server, over a private
 * MariaDB on a UNIX socket, each in a temp folder of its own, started per test file and stopped after.
 *
 * Use (one per test file, it takes ~3 s to start and install):
 *
 *   const wp = useWordPress();              // beforeAll starts it, afterAll stops it
 *   it('...', async () => {
 *     wp.site.url;                          // http://127.0.0.1:PORT
 *     wp.site.user, wp.site.appPassword;    // an Application Password for the REST API
 *     await wp.site.rest('GET', '/wp/v2/media');   // an authenticated REST call, parsed JSON
 *   });
 *
 * `useWordPress({ plugin: true })` also installs and activates the companion plugin
 * (resources/wordpress/tessera-dam, copied into the site's own plugins folder, activated over REST);
 * without it the site is plain WordPress, as the tests of the path without the plugin need.
 *
 * Or `startWordPress()` / `site.stop()` by hand. `wordpressAvailable()` says whether the packages
 * are installed (`.ci/run` installs them: wordpress mariadb-server php-cli php-mysql php-gd, and the
 * theme wordpress-theme-twentytwentyone, so a post's page shows its content).
 *
 * How it fits together (facts of Debian's packaging): its wp-config.php loads
 * /etc/wordpress/config-NAME.php where NAME is `$_SERVER['WORDPRESS_CONFIG']` (else the Host). A small
 * router sets that from the PHP server's environment, so several WordPresses (test files run in
 * parallel) each read their own config file, naming their own database socket, table prefix and
 * wp-content folder (uploads land in the temp folder, not /var/lib/wordpress).
 * `WP_ENVIRONMENT_TYPE=local` lets Application Passwords work over plain http. Every REST call goes
 * through `?rest_route=`, which works without pretty permalinks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const WP_ROOT = '/usr/share/wordpress';
const PLUGIN_SOURCE = path.join(__dirname, '..', '..', 'resources', 'wordpress', 'tessera-dam');
const CONFIG_DIR = '/etc/wordpress';

export function wordpressAvailable(): boolean {
  return (
    fs.existsSync(path.join(WP_ROOT, 'wp-settings.php')) &&
    spawnSync('sh', ['-c', 'command -v php && command -v mariadbd && command -v mariadb-install-db'])
      .status === 0
  );
}

export interface WordPressSite {
  /** The site's URL, without a trailing slash. */
  url: string;
  /** The admin user and its login password (for wp-admin) and an Application Password (for REST). */
  user: string;
  password: string;
  appPassword: string;
  /** The temp folder holding the database, the uploads and the logs. */
  dir: string;
  /** An authenticated REST call (`route` like `/wp/v2/media`, with an optional `?query`): status and parsed JSON. */
  rest(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The media items there now (every one, any status). */
  media(): Promise<{ id: number; slug: string; source_url: string; alt_text: string }[]>;
  stop(): Promise<void>;
}

export function restUrl(site: string, route: string): string {
  const [p, q] = route.split('?');
  return `${site}/?rest_route=${encodeURIComponent(p!)}${q ? `&${q}` : ''}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`WordPress test site: ${what} did not happen within ${ms / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Its own process group (detached): PHP's server workers are forked children that outlive a
  // signal to the parent alone, so the whole group is signalled.
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      child.kill(s);
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  return exited.finally(() => clearTimeout(timer));
}

const ROUTER = `<?php
// Routes PHP's built-in server like Apache would for WordPress, and names this site's config file.
$_SERVER['WORDPRESS_CONFIG'] = getenv('WORDPRESS_CONFIG');
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$content = getenv('TESSERA_WP_CONTENT');
// This site's wp-content (uploads, its plugins' scripts and styles, the linked themes) is served
// from its own folder, not the package's; the types a browser checks are named by extension.
if (str_starts_with($path, '/wp-content/') && !str_ends_with($path, '.php')) {
  $file = $content . substr($path, strlen('/wp-content'));
  if (!is_file($file) || str_contains($path, '..')) { http_response_code(404); return true; }
  $types = ['js' => 'text/javascript', 'css' => 'text/css', 'svg' => 'image/svg+xml', 'json' => 'application/json'];
  $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
  header('Content-Type: ' . ($types[$ext] ?? (mime_content_type($file) ?: 'application/octet-stream')));
  readfile($file);
  return true;
}
$root = $_SERVER['DOCUMENT_ROOT'];
if (is_dir($root . $path)) $path = rtrim($path, '/') . '/index.php';
if (is_file($root . $path)) {
  if (!str_ends_with($path, '.php')) return false;
  $_SERVER['SCRIPT_NAME'] = $path;
  $_SERVER['PHP_SELF'] = $path;
  $_SERVER['SCRIPT_FILENAME'] = $root . $path;
  chdir(dirname($root . $path));
  require $root . $path;
  return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
chdir($root);
require $root . '/index.php';
`;

/** Cookies of a browser-like session (login, nonce). */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface WordPressOptions {
  /** Install and activate the companion plugin (resources/wordpress/tessera-dam). */
  plugin?: boolean;
}

export async function startWordPress(opts: WordPressOptions = {}): Promise<WordPressSite> {
  if (!wordpressAvailable())
    throw new Error(
      'WordPress test site: install wordpress mariadb-server php-cli php-mysql php-gd (.ci/run does)',
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-wp-'));
  const id = `tessera-${path.basename(dir).replace(/[^a-zA-Z0-9-]/g, '')}`;
  const dataDir = path.join(dir, 'db');
  const socket = path.join(dir, 'db.sock');
  const content = path.join(dir, 'wp-content');
  const children: ChildProcess[] = [];
  const configFile = path.join(CONFIG_DIR, `config-${id}.php`);
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    fs.rmSync(configFile, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The database: a private server on a socket, no TCP, root without a password over the socket.
    const init = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--user=root',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
    const db = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--pid-file=${path.join(dir, 'db.pid')}`,
        `--log-error=${path.join(dir, 'db.log')}`,
        '--skip-networking',
        '--user=root',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
      ],
      { stdio: 'ignore', detached: true },
    );
    children.push(db);
    await until('mariadbd to listen', () => fs.existsSync(socket) || db.exitCode !== null);
    if (db.exitCode !== null)
      throw new Error(`mariadbd exited: ${fs.readFileSync(path.join(dir, 'db.log'), 'utf8')}`);
    const create = spawnSync('mariadb', [`--socket=${socket}`, '-uroot', '-e', 'CREATE DATABASE wp'], {
      encoding: 'utf8',
    });
    if (create.status !== 0) throw new Error(`CREATE DATABASE failed: ${create.stderr}`);

    // WordPress: its own wp-content (uploads here), themes and plugins from the package.
    fs.mkdirSync(path.join(content, 'uploads'), { recursive: true });
    fs.symlinkSync(path.join(WP_ROOT, 'wp-content', 'themes'), path.join(content, 'themes'));
    // Plugins: the package's, each linked, in a folder of this site's own, so a plugin can be added.
    const plugins = path.join(content, 'plugins');
    fs.mkdirSync(plugins);
    for (const name of fs.readdirSync(path.join(WP_ROOT, 'wp-content', 'plugins')))
      fs.symlinkSync(path.join(WP_ROOT, 'wp-content', 'plugins', name), path.join(plugins, name));
    if (opts.plugin) fs.cpSync(PLUGIN_SOURCE, path.join(plugins, 'tessera-dam'), { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    fs.writeFileSync(
      configFile,
      `<?php
define('DB_NAME', 'wp');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:${socket}');
define('WP_CONTENT_DIR', '${content}');
define('WP_CONTENT_URL', '${url}/wp-content');
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEFAULT_THEME', 'twentytwentyone');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
$table_prefix = 'wp_';
`,
    );
    const router = path.join(dir, 'router.php');
    fs.writeFileSync(router, ROUTER);
    const php = spawn(
      'php',
      [
        '-d',
        'upload_max_filesize=1G',
        '-d',
        'post_max_size=1G',
        '-d',
        'memory_limit=1G',
        '-S',
        `127.0.0.1:${port}`,
        '-t',
        WP_ROOT,
        router,
      ],
      {
        stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'php.log'), 'a')],
        detached: true,
        env: {
          ...process.env,
          PHP_CLI_SERVER_WORKERS: '4',
          WORDPRESS_CONFIG: id,
          TESSERA_WP_CONTENT: content,
        },
      },
    );
    children.push(php);
    await until('the PHP server to listen', async () => {
      if (php.exitCode !== null) throw new Error('php -S exited (see php.log in the temp folder)');
      return new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
    });

    // Install, log in, make an Application Password.
    const user = 'admin';
    const password = crypto.randomBytes(12).toString('hex');
    const install = await fetch(`${url}/wp-admin/install.php?step=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        weblog_title: 'Tessera test',
        user_name: user,
        admin_password: password,
        admin_password2: password,
        pw_weak: '1',
        admin_email: 'admin@example.test',
        blog_public: '0',
        language: '',
      }),
    });
    const installed = await install.text();
    if (!install.ok || !/Success|installed/i.test(installed))
      throw new Error(`WordPress install failed (${install.status}): ${installed.slice(0, 300)}`);
    const jar = new Jar();
    jar.take(await fetch(`${url}/wp-login.php`, { redirect: 'manual' }));
    const login = await fetch(`${url}/wp-login.php`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
      },
      body: new URLSearchParams({ log: user, pwd: password, rememberme: 'forever', testcookie: '1' }),
    });
    jar.take(login);
    if (login.status !== 302) throw new Error(`WordPress login failed (${login.status})`);
    const nonceRes = await fetch(`${url}/wp-admin/admin-ajax.php?action=rest-nonce`, {
      headers: { cookie: jar.header() },
    });
    const nonce = (await nonceRes.text()).trim();
    if (!/^[0-9a-f]+$/.test(nonce)) throw new Error(`WordPress REST nonce: ${nonce.slice(0, 200)}`);
    const app = await fetch(restUrl(url, '/wp/v2/users/me/application-passwords'), {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-wp-nonce': nonce, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tessera-tests' }),
    });
    const appJson = (await app.json()) as { password?: string; message?: string };
    if (!appJson.password) throw new Error(`Application Password: ${appJson.message ?? app.status}`);
    const appPassword = appJson.password;
    const auth = `Basic ${Buffer.from(`${user}:${appPassword}`).toString('base64')}`;

    const rest: WordPressSite['rest'] = async (method, route, body) => {
      const res = await fetch(restUrl(url, route), {
        method,
        headers: {
          authorization: auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON (an error page): kept as text for the assertion message.
      }
      return { status: res.status, json };
    };
    if (opts.plugin) {
      const on = await rest('POST', '/wp/v2/plugins/tessera-dam/tessera-dam', { status: 'active' });
      if (on.status !== 200 || (on.json as { status?: string }).status !== 'active')
        throw new Error(
          `activating the Tessera plugin: ${on.status} ${JSON.stringify(on.json).slice(0, 300)}`,
        );
    }
    return {
      url,
      user,
      password,
      appPassword,
      dir,
      rest,
      async media() {
        const r = await rest('GET', '/wp/v2/media?per_page=100&context=edit');
        if (r.status !== 200) throw new Error(`GET media: ${r.status} ${JSON.stringify(r.json)}`);
        return r.json as { id: number; slug: string; source_url: string; alt_text: string }[];
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One WordPress for the test file: started in beforeAll, stopped in afterAll. */
export function useWordPress(opts: WordPressOptions = {}): { readonly site: WordPressSite } {
  let site: WordPressSite | null = null;
  beforeAll(async () => {
    site = await startWordPress(opts);
  });
  afterAll(async () => {
    await site?.stop();
  });
  return {
    get site() {
      if (!site) throw new Error('the WordPress test site is not started (use it inside a test)');
      return site;
    },
  };
}
