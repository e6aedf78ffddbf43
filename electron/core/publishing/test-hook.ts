/**
 * Test hook, named as such: DAM_TEST_CRASH_AT=after-upload kills this process (SIGKILL, as kill -9
 * does) right after an upload and before its commit, so the idempotency tests can make the crash
 * happen exactly there. Adapters whose upload is more than one request call it right after the one
 * that makes the copy; the outbox calls it after every `put`.
 */
export function testHook(point: 'after-upload'): void {
  if (process.env.DAM_TEST_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
