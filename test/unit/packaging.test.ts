import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

// `npm run dist` needs an Electron download, which this machine cannot make; what can be checked
// here is that the configuration is one electron-builder accepts and that everything it and the
// shell name is where they say.

const root = path.join(__dirname, '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  linux: { icon: string; target: string[] };
  mac: { icon: string };
  win: { icon: string };
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, file: string, extra: null): Promise<BuilderConfig>;
    validateConfiguration(c: unknown, log: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
  const config = await getConfig(root, 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('desktop packaging (electron-builder)', () => {
  it('has a configuration electron-builder validates, and refuses a broken one', async () => {
    const config = await loadConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
    await expect(
      validateConfiguration(
        { ...config, linux: { target: 'AppImage', colour: 'red' } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration/);
  });

  it('has its icons: a square 1024 px PNG with transparency, and the tray template images', async () => {
    const config = await loadConfig();
    for (const icon of new Set([config.linux.icon, config.mac.icon, config.win.icon])) {
      const meta = await sharp(path.join(root, icon)).metadata();
      expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 1024, 1024, true]);
    }
    expect((await sharp(path.join(root, 'resources/trayTemplate.png')).metadata()).width).toBe(16);
    expect((await sharp(path.join(root, 'resources/trayTemplate@2x.png')).metadata()).width).toBe(32);
  });

  it('packs every resource the shell loads, and unpacks workers the build really makes', () => {
    const config = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^\s+- resources\/\*\*\/\*$/m);
    // Files the main process reads from resources/ at run time.
    const shell = ['main.ts', 'tray.ts']
      .map((f) => fs.readFileSync(path.join(root, 'electron/main', f), 'utf8'))
      .join('\n');
    const named = [...shell.matchAll(/'([\w@.-]+\.png)'/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const file of named) expect(fs.existsSync(path.join(root, 'resources', file)), file).toBe(true);
    // The worker bundles the configuration keeps outside the archive are entries of the build.
    const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    for (const m of config.matchAll(/'dist\/([\w-]+)\.js'/g))
      expect(build, `scripts/build.mjs builds ${m[1]}`).toContain(`'${m[1]}':`);
  });
});
