import { defineConfig } from 'vitest/config';

// Publishing to a real Directus (`npm run test:directus`): apart from `npm test` because installing
// Directus 11.3.5 takes minutes of compiling (sqlite3, isolated-vm) that every CI run would pay.
export default defineConfig({
  test: {
    include: ['test/directus/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-directus.json' },
  },
});
