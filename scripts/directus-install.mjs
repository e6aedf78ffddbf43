#!/usr/bin/env node
// Installs the real Directus the Directus publishing test runs against (test/helpers/directus.ts),
// once, outside the repository: `directus` 11.3.5 (the last release that runs on Node 20; 11.4+
// needs Node 22) from the npm registry into $TESSERA_DIRECTUS_DIR, by default
// ~/.cache/tessera-directus/11.3.5. It is not a dependency of Tessera (hundreds of MB).
//
// Its native modules: sharp and argon2 ship their binaries in npm packages; sqlite3 and isolated-vm
// have none there (prebuild-install would fetch them from GitHub), so they are built from their npm
// sources with node-gyp: told to build from source (no download attempt), against the headers of
// the installed Node (`--nodedir`, when the Node package has them, e.g. Debian's nodejs in
// /usr/include/node) so node-gyp downloads no headers either. Needs make, g++ and python3.
//
// Usage: node scripts/directus-install.mjs [--print-dir]   (prints the folder; exit 1 on failure)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DIRECTUS_VERSION = '11.3.5';

export function directusDir() {
  return (
    process.env.TESSERA_DIRECTUS_DIR ||
    path.join(os.homedir(), '.cache', 'tessera-directus', DIRECTUS_VERSION)
  );
}

/** The installed CLI, or null when it is not (completely) installed. */
export function directusCli(dir = directusDir()) {
  const cli = path.join(dir, 'node_modules', 'directus', 'cli.js');
  return fs.existsSync(path.join(dir, '.installed')) && fs.existsSync(cli) ? cli : null;
}

/** Node's own headers where the Node package installed them (node-gyp then downloads none). */
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : null;
}

export function installDirectus(dir = directusDir(), log = (s) => process.stderr.write(`${s}\n`)) {
  if (directusCli(dir)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'tessera-directus', private: true, description: 'Directus for Tessera tests' }, null, 2)}\n`,
  );
  const started = Date.now();
  const headers = nodeDir();
  log(
    `installing directus ${DIRECTUS_VERSION} into ${dir} (a few minutes: sqlite3 and isolated-vm are compiled)`,
  );
  const npm = (args, env = {}) => {
    const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status})`);
  };
  // Without install scripts: sharp and argon2 need none (their binaries are in npm packages),
  // esbuild's, oracledb's and vue-demi's are not needed to run the server...
  npm(['install', `directus@${DIRECTUS_VERSION}`, '--ignore-scripts']);
  // ...and the two modules without binaries on the registry are built from their sources, told not
  // to try GitHub (npm_config_build_from_source: prebuild-install skips its download).
  npm(['rebuild', 'sqlite3', 'isolated-vm', ...(headers ? [`--nodedir=${headers}`] : [])], {
    npm_config_build_from_source: 'true',
  });
  const cli = path.join(dir, 'node_modules', 'directus', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`directus installed without ${cli}`);
  fs.writeFileSync(path.join(dir, '.installed'), `${new Date().toISOString()}\n`);
  log(`directus ${DIRECTUS_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  try {
    const dir = installDirectus();
    if (process.argv.includes('--print-dir')) process.stdout.write(`${dir}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
