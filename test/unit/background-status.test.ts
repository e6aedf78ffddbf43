import { describe, expect, it } from 'vitest';
import { initialState, reduce, statusLine } from '../../electron/main/background-status';

describe('the background status line (the tray, with the window closed)', () => {
  it('says the app is up to date when nothing runs', () => {
    expect(statusLine(initialState())).toBe('Up to date, watching for changes');
  });

  it('follows scans, jobs and offline folders, and forgets what has ended', () => {
    let s = initialState();
    s = reduce(s, 'scan-progress', { rootId: 1, phase: 'walking', seen: 1200 });
    s = reduce(s, 'scan-progress', { rootId: 2, phase: 'recording', seen: 4 });
    s = reduce(s, 'job-progress', { done: 38, failed: 2, pending: 70, running: 10, perSecond: 12.4 });
    s = reduce(s, 'root-state', { rootId: 3, state: 'offline', reason: 'unplugged' });
    expect(statusLine(s)).toBe(
      'Scanning: 1,204 files seen · Processing: 40 of 120 (12/s) · 1 folder offline',
    );

    s = reduce(s, 'scan-progress', { rootId: 1, phase: 'done', seen: 1200 });
    s = reduce(s, 'scan-progress', { rootId: 2, phase: 'done', seen: 4 });
    s = reduce(s, 'job-progress', { done: 118, failed: 2, pending: 0, running: 0, perSecond: 0 });
    s = reduce(s, 'root-state', { rootId: 3, state: 'online', reason: null });
    s = reduce(s, 'warning', { rootId: null, message: 'ignored here' });
    expect(statusLine(s)).toBe('Up to date, watching for changes');
  });
});
