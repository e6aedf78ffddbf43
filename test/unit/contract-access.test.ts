import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/accounts';
import { ACCESS, operations, requiredRole, type OpName } from '../../shared/contract';

const names = Object.keys(operations) as OpName[];

describe('every operation declares who may call it (the contract ACCESS table)', () => {
  it('has exactly one entry per operation, each with a role and an asset scope', () => {
    expect(Object.keys(ACCESS).sort()).toEqual([...names].sort());
    for (const name of names) {
      const a = ACCESS[name];
      expect(typeof a.role === 'function' || ROLES.includes(a.role), name).toBe(true);
      expect(
        typeof a.assets === 'function' || ['none', 'catalogue', 'filtered'].includes(a.assets),
        name,
      ).toBe(true);
    }
  });

  it('checks the assets of every operation whose input names assets', () => {
    // An input with ids, edits or an assetId names assets: its scope must look at them.
    for (const name of names) {
      const shape = (operations[name].input as { shape?: Record<string, unknown> }).shape ?? {};
      if (['ids', 'edits', 'assetId'].some((k) => k in shape))
        expect(ACCESS[name].assets, name).not.toBe('none');
    }
  });

  it('keeps writes above viewers: settings, users and roots are an admin’s, decisions an approver’s', () => {
    expect(requiredRole('assets.setFields', { ids: [1], patch: {} })).toBe('contributor');
    expect(requiredRole('assets.transition', { ids: [1], action: 'submit' })).toBe('contributor');
    expect(requiredRole('assets.transition', { ids: [1], action: 'approve' })).toBe('approver');
    expect(requiredRole('governance.settings', {})).toBe('viewer');
    expect(requiredRole('governance.settings', { embedXmp: true })).toBe('admin');
    for (const op of [
      'roots.add',
      'roots.remove',
      'users.add',
      'users.list',
      'assets.export',
      'scan',
    ] as const)
      expect(ACCESS[op].role, op).toBe('admin');
    // usage.viewed records the caller's own view of an asset it may see: a viewer's act, not an edit.
    const viewerWrites = names.filter(
      (n) =>
        ACCESS[n].role === 'viewer' &&
        !/\.(list|get|search|ids|history|status|me|facet|faces|presets|snapshots|folders|crops)$|^(stats|facets|desktop\.(reveal|open)|session\.logoutEverywhere|roots\.folders|usage\.asset|usage\.viewed)$/.test(
          n,
        ),
    );
    expect(viewerWrites).toEqual([]);
  });
});
