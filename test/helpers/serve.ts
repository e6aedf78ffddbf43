import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { CLI } from './library';

/** Run the `dam` CLI on a catalogue; throws with its stderr when it fails. */
export function dam(catalog: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, '--catalog', catalog, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dam ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `dam show --json`, parsed. */
export function shown<T = Record<string, unknown>>(catalog: string, file: string): T {
  return JSON.parse(dam(catalog, 'show', file, '--json')) as T;
}

export interface ServeOptions {
  /** Added to the server's environment (e.g. HOME, to give it a home folder of the test's own). */
  env?: Record<string, string>;
}

/** `dam serve` on a random port: the URL it prints first (with its token), and a stop that waits for the exit. */
export async function startServe(
  catalog: string,
  opts: ServeOptions = {},
): Promise<{ url: string; server: ChildProcess; stop(): Promise<void> }> {
  const server = spawn(process.execPath, [CLI, '--catalog', catalog, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    server.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!.trim());
    });
    server.once('exit', (code) => reject(new Error(`dam serve exited with ${code}`)));
  });
  return {
    url,
    server,
    async stop() {
      if (server.exitCode !== null) return;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `dam serve` on a catalogue and a Chromium page beside it, with the page's errors and console
 * errors collected into `errors` (an e2e test ends by asserting there were none).
 */
export async function openUi(
  catalog: string,
  errors: string[],
  opts: ServeOptions = {},
): Promise<{ url: string; page: Page; close(): Promise<void> }> {
  const serve = await startServe(catalog, opts);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    url: serve.url,
    page,
    async close() {
      await browser.close();
      await serve.stop();
    },
  };
}
