import { defineConfig } from 'vitest/config';

// Tests that change machine-wide state (the inotify watch limit) run alone, one file at a time.
export default defineConfig({
  test: {
    include: ['test/serial/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-serial.json' },
  },
});
