import { defineConfig } from 'vitest/config';

// Tests that change machine-wide state (the inotify watch limit) run alone, one file at a time.
export default defineConfig({
  test: {
    include: ['test/serial/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Camera-like files made once for every test file (test/fixtures/camera-files.ts).
    globalSetup: ['test/fixtures/camera-files-setup.ts'],
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-serial.json' },
  },
});
