import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with the background services off: this machine's closed network
 * refuses their connections, and they only add noise to tests and timings.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
