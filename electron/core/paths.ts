import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Tessera';

/**
 * The desktop app's data folder, computed the way Electron's app.getPath('userData') does, so the
 * CLI and the app open the same catalogue without either importing the other.
 */
export function defaultCatalogDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAM_CATALOG) return path.resolve(env.DAM_CATALOG);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
  }
}

/** True when `child` is `dir` itself or lies inside it, after resolving links. */
export function isInside(dir: string, child: string): boolean {
  let realDir: string;
  let realChild: string;
  try {
    realDir = fs.realpathSync(dir);
    realChild = fs.realpathSync(child);
  } catch {
    return false;
  }
  const rel = path.relative(realDir, realChild);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
