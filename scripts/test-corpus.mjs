// The corpus suite (test/corpus/): the metadata reader, the thumbnailer, sniffing and ingest over
// the real camera corpus named by DAM_CORPUS. Without one it says so in one line and passes: the
// default suite needs nothing beside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPORT = 'test-results/vitest-corpus.json';
const SKIPPED = 'test-results/corpus-skipped.txt';
const dir = process.env.DAM_CORPUS;
const missing = !dir ? 'DAM_CORPUS not set' : existsSync(dir) ? null : `not found at ${path.resolve(dir)}`;

// A report from an earlier run must not be counted as this one's.
rmSync(REPORT, { force: true });
rmSync(SKIPPED, { force: true });
if (missing) {
  console.log(`corpus suite skipped: ${missing}`);
  mkdirSync(path.dirname(SKIPPED), { recursive: true });
  writeFileSync(SKIPPED, `corpus suite skipped: ${missing}\n`);
  process.exit(0);
}
const vitest = path.join('node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'vitest.corpus.config.mts', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
