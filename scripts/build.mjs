// One build for everything that runs in Node: the CLI, the ingest worker, the benchmark,
// and the Electron main/preload. Dependencies stay external (native modules, model files).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  cli: 'electron/cli/main.ts',
  'ingest-worker': 'electron/core/jobs/ingest-worker.ts',
  'walk-worker': 'electron/core/jobs/walk-worker.ts',
  'render-worker': 'electron/core/jobs/render-worker.ts',
  'tagging-worker': 'electron/core/tagging/tagging-worker.ts',
  bench: 'test/bench/main.ts',
  'electron/main': 'electron/main/main.ts',
  'electron/preload': 'electron/preload/preload.ts',
  'electron/core-process': 'electron/main/core-process.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  // Only the benchmark reaches test helpers; their vitest hooks cannot load outside vitest.
  alias: { vitest: './test/bench/vitest-stub.ts' },
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The UI, for the Electron window and for `dam serve`.
if (existsSync('renderer/index.html') && !process.argv.includes('--no-renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'renderer/vite.config.mts', logLevel: 'warn' });
}
