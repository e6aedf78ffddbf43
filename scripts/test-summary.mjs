// Prints the plain "N passed, N failed" line from vitest's JSON reports (the main suite and the
// serial one), for CI logs.
import { existsSync, readFileSync } from 'node:fs';

const reports = ['test-results/vitest.json', 'test-results/vitest-serial.json']
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')));
const sum = (k) => reports.reduce((n, r) => n + r[k], 0);
const passed = sum('numPassedTests');
const failed = sum('numFailedTests');
console.log(
  `Tests: ${passed} passed, ${failed} failed, ${sum('numPendingTests') + sum('numTodoTests')} skipped`,
);
process.exit(failed > 0 || passed === 0 || reports.length < 2 ? 1 : 0);
