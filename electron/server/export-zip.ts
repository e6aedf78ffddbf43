import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { RequestUser } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { actorOf, authorize } from '../core/api/access';
import { invalidInput, toApiError } from '../core/errors';
import type { Library } from '../core/library';

/** The most assets one download holds: their ids travel in its URL. */
export const ZIP_MAX_IDS = 1000;

/** `?preset=NAME&ids=1,2,3`, checked as the contract checks assets.export's input. */
function parse(url: URL): { preset: string; ids: number[] } {
  const preset = url.searchParams.get('preset') ?? '';
  if (preset.length < 1 || preset.length > 100)
    throw invalidInput('export.zip: preset: expects a preset name');
  const raw = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
  const ids = raw.map(Number);
  if (ids.length < 1 || ids.length > ZIP_MAX_IDS || !ids.every((n) => Number.isSafeInteger(n) && n > 0))
    throw invalidInput(`export.zip: ids: expects 1 to ${ZIP_MAX_IDS} asset ids, comma-separated`);
  return { preset, ids: [...new Set(ids)] };
}

/**
 * `GET /export.zip`: the browser's export, allowed as assets.export is. The renditions go into a zip in a private temp folder of
 * the server's own (never a path the request names), which is sent as a download and removed.
 */
export async function sendExportZip(
  lib: Library,
  url: URL,
  res: http.ServerResponse,
  user: RequestUser | undefined,
  fail: (res: http.ServerResponse, error: ApiError) => void,
): Promise<void> {
  let dir: string | undefined;
  try {
    const { preset, ids } = parse(url);
    // Who may: as for assets.export (its role, and every asset within the account's collections).
    authorize(lib, 'assets.export', { ids, preset, to: '' }, user ? { user } : {});
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dam-export-'));
    const safe = preset.replace(/[^A-Za-z0-9._-]/g, '_');
    const name = `tessera-${safe}-${ids.length}.zip`;
    // Counted in the usage figures as the account's download (the owner's without one).
    const result = await lib.renditions.export(ids, preset, path.join(dir, name), undefined, {
      by: actorOf(lib, user ? { user } : {}).user,
    });
    if (result.files.length === 0)
      throw invalidInput(
        `nothing could be exported: ${result.failed.map((f) => `asset ${f.assetId}: ${f.reason}`).join('; ')}`,
      );
    const body = await fs.promises.readFile(result.to);
    res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Length': body.length,
      'Content-Disposition': `attachment; filename="${name}"`,
      'X-Export-Files': String(result.files.length),
      'X-Export-Failed': String(result.failed.length),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  } catch (err) {
    fail(res, toApiError(err));
  } finally {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
