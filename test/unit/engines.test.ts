import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../helpers/library';

// package.json's engines must agree with what its dependencies declare: the oldest Node it accepts
// installs every one of them without an engine warning.

type Version = [number, number, number];

function parse(v: string): { v: Version; wild: number } {
  const parts = v.replace(/^v/, '').split('.');
  const nums: number[] = [];
  for (const p of parts.slice(0, 3)) {
    if (p === 'x' || p === '*') break;
    nums.push(Number(p));
  }
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], wild: nums.length };
}

const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** npm's range syntax, as far as engines fields use it: >=, >, <=, <, ^, ~, x-ranges, ||. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version).v;
  return range.split('||').some((alt) =>
    alt
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => {
        const m = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(c)!;
        const { v: r, wild } = parse(m[2]!);
        const d = cmp(v, r);
        switch (m[1]) {
          case '>=':
            return d >= 0;
          case '>':
            return d > 0;
          case '<=':
            return d <= 0;
          case '<':
            return d < 0;
          case '^':
            return d >= 0 && v[0] === r[0];
          case '~':
            return d >= 0 && v[0] === r[0] && v[1] === r[1];
          default: // "20.x", "20", "=20.9.1"
            return v.slice(0, wild).every((n, i) => n === r[i]);
        }
      }),
  );
}

describe('engines', () => {
  it('reads npm ranges as npm does', () => {
    expect(satisfies('22.12.0', '>= 22.12.0')).toBe(true);
    expect(satisfies('20.9.0', '>= 22.12.0')).toBe(false);
    expect(satisfies('20.9.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('22.12.0', '20.x || 22.x || 23.x')).toBe(true);
    expect(satisfies('21.0.0', '20.x || 22.x')).toBe(false);
  });

  it('accepts no Node older than any dependency does (electron, vite, better-sqlite3, …)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as {
      engines: { node: string };
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const oldest = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines.node)?.[1];
    expect(oldest, 'engines.node is ">=X.Y.Z"').toBeDefined();
    const refused: string[] = [];
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
      const file = path.join(PROJECT, 'node_modules', dep, 'package.json');
      const engines = (JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string } }).engines;
      if (engines?.node && !satisfies(oldest!, engines.node)) refused.push(`${dep}: ${engines.node}`);
    }
    expect(refused).toEqual([]);
  });
});
