// Prints the plain "N passed, N failed" line from vitest's JSON report, for CI logs.
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
console.log(
  `Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
);
process.exit(r.numFailedTests > 0 || r.numPassedTests === 0 ? 1 : 0);
