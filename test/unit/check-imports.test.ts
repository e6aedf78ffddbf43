import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus';
import { PROJECT } from '../helpers/library';

const SCRIPT = path.join(PROJECT, 'scripts', 'check-imports.mjs');
const run = (root?: string) =>
  spawnSync(process.execPath, [SCRIPT, ...(root ? [root] : [])], { encoding: 'utf8' });

describe('the import rules npm run lint checks', () => {
  const dir = tempDir('dam-imports-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  it('hold for this repository', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuse a runtime cycle, an upward import and the composition root below it', () => {
    write('electron/core/library.ts', `import { open } from './catalog/open';\nexport class Library {}\n`);
    write('electron/core/catalog/open.ts', `import { Library } from '../library';\nexport const open = 1;\n`);
    write('electron/core/catalog/rows.ts', `import { setFields } from '../governance/set-fields';\n`);
    write(
      'electron/core/governance/set-fields.ts',
      `import type { Library } from '../library';\nexport const setFields = 1;\n`,
    );
    // Type-only imports are erased: no cycle, and storage may name a higher layer's type.
    write('electron/core/catalog/types.ts', `import { type Row } from '../ingest/row';\n`);
    write(
      'electron/core/ingest/row.ts',
      `import { open } from '../catalog/open';\nexport type Row = number;\n`,
    );
    // No exceptions: storage may not borrow a pipeline helper either (the dHash bands once did).
    write(
      'electron/core/catalog/version-keys.repository.ts',
      `import { dhashBands } from '../ingest/thumbnails/dhash';\n`,
    );
    write('electron/core/ingest/thumbnails/dhash.ts', `export const dhashBands = 1;\n`);
    const r = run(dir);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').sort();
    expect(lines).toEqual(
      [
        'check-imports: electron/core/catalog/open.ts imports the composition root library.ts: depend on CoreContext (context.ts) instead',
        'check-imports: electron/core/catalog/version-keys.repository.ts (storage) imports electron/core/ingest/thumbnails/dhash.ts (pipeline): a layer imports only its own or lower ones',
        'check-imports: electron/core/catalog/rows.ts (storage) imports electron/core/governance/set-fields.ts (domain): a layer imports only its own or lower ones',
        'check-imports: electron/core/governance/set-fields.ts imports the composition root library.ts: depend on CoreContext (context.ts) instead',
        'check-imports: import cycle: electron/core/catalog/open.ts -> electron/core/library.ts -> electron/core/catalog/open.ts',
      ].sort(),
    );
  });
});
