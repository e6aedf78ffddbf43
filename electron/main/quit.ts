/** The part of Electron's `app` quitting uses (a stand-in in tests: the binary cannot run there). */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Quit waits for `close` (the catalogue closing in its process): the first before-quit is held,
 * `close` runs once, then quit goes on. A failing close still lets the app quit.
 */
export function holdQuitUntilClosed(app: QuittingApp, close: () => Promise<void>): void {
  let closing: Promise<void> | null = null;
  let closed = false;
  app.on('before-quit', (e) => {
    if (closed) return;
    e.preventDefault();
    closing ??= close()
      .catch(() => undefined)
      .then(() => {
        closed = true;
        app.quit();
      });
  });
}

/** `work`, or nothing after `ms`: quit must not hang on a core that stopped answering. */
export async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
