import { defineConfig } from 'vitest/config';

// The corpus suite: the same readers and renderers over the real camera corpus that DAM_CORPUS
// points at (scripts/test-corpus.mjs checks it is there first). Not part of the default suite,
// which needs nothing beside the repository.
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/fixtures/camera-files-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-corpus.json' },
  },
});
