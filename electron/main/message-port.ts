import type { MessagePortMain } from 'electron';
import type { PortLike } from '../core/port-adapter';

/** Electron's MessagePortMain delivers MessageEvents; the port adapter wants the data alone. */
export function fromMessagePortMain(port: MessagePortMain): PortLike {
  const wrapped: PortLike = {
    postMessage: (message) => port.postMessage(message),
    on: (_event, listener) => port.on('message', (e) => listener(e.data)),
  };
  port.start();
  return wrapped;
}
