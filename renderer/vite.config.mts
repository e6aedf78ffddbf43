import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Paths resolve from this file, not the working directory: scripts/build.mjs runs from the
// project root, a developer may run vite from anywhere.
const here = fileURLToPath(new URL('.', import.meta.url));

// One static build serves both the Electron window (file/custom protocol) and `dam serve`:
// relative URLs, no inline scripts or styles (both hosts send a CSP without 'unsafe-inline').
export default defineConfig({
  root: here,
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Small assets as data: URLs would be fine under the CSP (img-src data:), but keep files
    // as files so the policy never has to grow.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
