import http from 'node:http';
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A fault-injecting HTTP proxy in front of a real server (the server behind it is real): it can be
 * down (not listening), answer 500s, or forward a request and keep its answer back (the client times
 * out after the server did the work). It counts what it forwarded, so a test can say "uploaded once".
 */
export class FaultProxy {
  private server: http.Server | null = null;
  /** Answer this many next requests with a 500 (then forward). */
  fail500 = 0;
  /** Answer every request with a 500 while set. */
  always500 = false;
  /** Forward the next request this matches, but never answer it. */
  swallowNext: ((method: string, url: string) => boolean) | null = null;
  /** Changes a request's body before it is forwarded (a CMS that drops a field, say). */
  rewrite: ((method: string, url: string, body: Buffer) => Buffer) | null = null;
  /** Changes a request's path and query before it is forwarded (a field sent in the query dropped). */
  rewriteUrl: ((method: string, url: string) => string) | null = null;
  /** Every request forwarded: "METHOD /path?query". */
  readonly forwarded: string[] = [];

  constructor(
    readonly port: number,
    readonly target: URL,
  ) {}

  static async start(target: string, up = true): Promise<FaultProxy> {
    const p = new FaultProxy(await freePort(), new URL(target));
    if (up) await p.up();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.server) return;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    if (this.always500 || this.fail500 > 0) {
      if (this.fail500 > 0) this.fail500--;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Injected server error' }));
      return;
    }
    const swallow = this.swallowNext?.(req.method!, req.url!) ?? false;
    if (swallow) this.swallowNext = null;
    this.forwarded.push(`${req.method} ${req.url}`);
    if (this.rewrite) body = this.rewrite(req.method!, req.url!, body);
    const target = this.rewriteUrl ? this.rewriteUrl(req.method!, req.url!) : req.url;
    const headers = { ...req.headers, host: this.target.host, 'content-length': String(body.length) };
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: target, headers },
      (up) => {
        if (swallow) {
          up.resume(); // The server did it; the client never hears of it.
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}
