// Prints the plain "N passed, N failed" line from vitest's JSON reports (the main suite, the
// serial one and, when it ran, the corpus suite), for CI logs.
import { existsSync, readFileSync } from 'node:fs';

const required = ['test-results/vitest.json', 'test-results/vitest-serial.json'];
const corpus = 'test-results/vitest-corpus.json';
const skipped = 'test-results/corpus-skipped.txt';
const reports = [...required, corpus]
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')));
const sum = (k) => reports.reduce((n, r) => n + r[k], 0);
const passed = sum('numPassedTests');
const failed = sum('numFailedTests');
console.log(
  `Tests: ${passed} passed, ${failed} failed, ${sum('numPendingTests') + sum('numTodoTests')} skipped`,
);
// The corpus suite is optional, never silently: either its report is counted or this says why not.
if (!existsSync(corpus))
  console.log(existsSync(skipped) ? readFileSync(skipped, 'utf8').trim() : 'corpus suite: not run');
const missing = required.filter((f) => !existsSync(f));
process.exit(failed > 0 || passed === 0 || missing.length > 0 ? 1 : 0);
