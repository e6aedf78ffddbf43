// What the bridge tests share: an ipcMain stand-in and a plain HTTP client for `dam serve`'s bridge.
import http from 'node:http';

/**
 * STAND-IN for Electron's ipcMain (the Electron binary cannot run here): it records the handler the
 * adapter registers and invokes it the way Electron would, with a sender frame URL.
 */
export class IpcMainStandIn {
  handlers = new Map<string, (event: { senderFrame: { url: string } }, ...args: unknown[]) => unknown>();
  handle(channel: string, fn: (event: never, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, fn as never);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(url: string, channel: string, ...args: unknown[]) {
    return Promise.resolve(this.handlers.get(channel)!({ senderFrame: { url } }, ...args));
  }
}

export interface Reply {
  status: number;
  /** The body as received, and as UTF-8 text. */
  body: Buffer;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request to 127.0.0.1:port, the whole reply collected. */
export function request(
  port: number,
  pathName: string,
  opts: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathName, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, body, text: body.toString(), headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
