// `npm start`: the desktop app. The Electron binary is fetched on first use; where it cannot be
// (an offline machine), say so in one line instead of a stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
if (typeof electronPath !== 'string' || !existsSync(electronPath) || !existsSync('dist/electron/main.js')) {
  console.error(
    'The Electron app is not available here (no Electron binary or desktop build); use the headless CLI: npx dam --help',
  );
  process.exit(1);
}
spawn(electronPath, ['.'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
