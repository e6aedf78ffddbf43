// Builds better-sqlite3 for Electron's ABI into native/electron/, beside (not over) the Node build
// that tests and the CLI use. Needs Electron's headers, so it runs where they can be downloaded;
// `npm install` never depends on it. The main process loads it through better-sqlite3's
// nativeBinding option (electron/main/main.ts).
import { cpSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const src = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = path.join(os.tmpdir(), `bsq-electron-${electronVersion}`);
rmSync(work, { recursive: true, force: true });
cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
execFileSync(
  'npx',
  [
    '--yes',
    'node-gyp',
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit' },
);
mkdirSync('native/electron', { recursive: true });
copyFileSync(
  path.join(work, 'build', 'Release', 'better_sqlite3.node'),
  'native/electron/better_sqlite3.node',
);
console.log(`built better-sqlite3 for Electron ${electronVersion} into native/electron/`);
