import { EventEmitter } from 'node:events';
import type { CoreEventName, CoreEvents } from '../../shared/events';

export class CoreEventBus {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  on<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): () => void {
    this.emitter.on(name, fn);
    return () => this.emitter.off(name, fn);
  }

  emit<K extends CoreEventName>(name: K, payload: CoreEvents[K]): void {
    this.emitter.emit(name, payload);
  }
}

/**
 * At most one call per interval, always delivering the latest value, and the last one is never
 * dropped: the UI shows the true final count without being flooded.
 */
export function throttle<T>(
  intervalMs: number,
  fn: (v: T) => void,
): { push(v: T | (() => T)): void; flush(): void } {
  let last = 0;
  // A function is evaluated only when the value is actually delivered: costly snapshots stay rare.
  let pending: { v: T | (() => T) } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    timer = null;
    if (!pending) return;
    const { v } = pending;
    pending = null;
    last = Date.now();
    fn(typeof v === 'function' ? (v as () => T)() : v);
  };
  return {
    push(v) {
      pending = { v };
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) fire();
      else if (!timer) timer = setTimeout(fire, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      fire();
    },
  };
}
