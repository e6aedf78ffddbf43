// Stand-in for `vitest` in the benchmark's bundle (scripts/build.mjs aliases it): the bench reuses
// test helpers (startWordPress) whose files also hold vitest hooks (useWordPress), and vitest cannot
// be loaded outside its runner. A hook called here is a mistake, so it says so.
function testOnly(name: string): () => never {
  return () => {
    throw new Error(`${name} is for tests run by vitest, not the benchmark`);
  };
}
export const beforeAll = testOnly('beforeAll');
export const afterAll = testOnly('afterAll');
export const beforeEach = testOnly('beforeEach');
export const afterEach = testOnly('afterEach');
