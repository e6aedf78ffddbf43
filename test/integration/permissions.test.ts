import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFile } from '../helpers/camera';
import { tempDir } from '../helpers/corpus';
import { CLI } from '../helpers/library';

// Root ignores file permissions, so as root the CLI is run as "nobody" to meet a real EACCES.
const asRoot = process.getuid?.() === 0;
const prefix = asRoot
  ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all']
  : [];

function dam(...args: string[]) {
  const [cmd, ...rest] = [...prefix, process.execPath, CLI, ...args];
  return spawnSync(cmd!, rest, { encoding: 'utf8' });
}

describe.runIf(process.platform !== 'win32')('a folder without read permission', () => {
  let root: string;
  let catalog: string;

  beforeAll(() => {
    root = tempDir('dam-perm-root-');
    catalog = tempDir('dam-perm-cat-');
    fs.chmodSync(root, 0o755);
    fs.chmodSync(catalog, 0o777);
    fs.mkdirSync(path.join(root, 'open'));
    fs.mkdirSync(path.join(root, 'locked'));
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), path.join(root, 'open', 'a.jpg'));
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), path.join(root, 'locked', 'b.jpg'));
    fs.copyFileSync(cameraFile('jpg/Canon_40D.jpg'), path.join(root, 'open', 'unreadable.jpg'));
    fs.chmodSync(path.join(root, 'open', 'unreadable.jpg'), 0o000);
  });
  afterAll(() => {
    fs.chmodSync(path.join(root, 'locked'), 0o755);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(catalog, { recursive: true, force: true });
  });

  it('catalogues what it can, reports the rest, and does not mark the locked folder missing', () => {
    expect(dam('--catalog', catalog, 'add-root', root).status).toBe(0);
    const first = dam('--catalog', catalog, 'scan', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ files: 3, new: 3, errors: 1 });

    const unreadable = JSON.parse(
      dam('--catalog', catalog, 'show', path.join(root, 'open', 'unreadable.jpg'), '--json').stdout,
    );
    expect(unreadable.error).toBe('permission denied');

    fs.chmodSync(path.join(root, 'locked'), 0o000);
    const second = dam('--catalog', catalog, 'scan', '--json');
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/locked.*permission denied/);
    const summary = JSON.parse(second.stdout);
    expect(summary.missing).toBe(0);
    const b = JSON.parse(
      dam('--catalog', catalog, 'show', path.join(root, 'locked', 'b.jpg'), '--json').stdout,
    );
    expect(b.state).toBe('present');
  });
});
