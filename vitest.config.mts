import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/serial/**', 'test/corpus/**', 'test/directus/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Camera-like files made once for every test file (test/fixtures/camera-files.ts).
    globalSetup: ['test/fixtures/camera-files-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
