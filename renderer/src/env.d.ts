import type { DamApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Present inside the Electron app (the preload's one global); absent in a browser. */
    dam?: DamApi;
  }
}
export {};
