// Preloaded (node --require) into a process and its worker threads by the tagging tests: any
// attempt to reach the network (not a local file, not localhost) is refused and written down.
const fs = require('node:fs');
const net = require('node:net');
const { isMainThread } = require('node:worker_threads');

const log = process.env.NO_NETWORK_LOG;
const note = (line) => log && fs.appendFileSync(log, `${line}\n`);
note(isMainThread ? 'guard:main' : 'guard:worker');

const local = (host) => !host || host === 'localhost' || host === '127.0.0.1' || host === '::1';
function refuse(what) {
  note(`refused:${what}`);
  throw new Error(`network access refused in this test: ${what}`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  if (!o.path && !local(o.host)) refuse(`connect ${o.host}:${o.port}`);
  return connect.apply(this, args);
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file:') && !url.startsWith('data:')) {
    const host = (() => {
      try {
        return new URL(url).hostname;
      } catch {
        return url;
      }
    })();
    if (!local(host)) refuse(`fetch ${url}`);
  }
  return realFetch(input, init);
};
