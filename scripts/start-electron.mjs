// `npm start`: the desktop app. Electron fetches its binary on first use; look for it without
// triggering that download, and where it is missing say so in one line.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(pkgDir, 'path.txt');
const binary = existsSync(pathFile) ? path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
if (!binary || !existsSync(binary)) {
  console.error(
    'No Electron binary here (it downloads on first run, which needs the internet): run `npm run web` for the same app in a browser.',
  );
  process.exit(1);
}
if (!existsSync('dist/electron/main.js')) {
  console.error('The app is not built: run `npm run build` first.');
  process.exit(1);
}
spawn(binary, ['.'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
