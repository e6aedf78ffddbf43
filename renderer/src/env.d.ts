import type { DamApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Put there by the Electron preload before any page script runs; absent in a browser. */
    dam?: DamApi;
  }
}

export {};
