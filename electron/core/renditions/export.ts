import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import type { ExportResult } from '../../../shared/contract';
import { renditionName, type RenditionPreset } from '../../../shared/renditions';
import { invalidInput, notFound } from '../errors';
import { renderRendition, type RenditionSource } from './render';

export interface ExportItem {
  assetId: number;
  name: string;
  title: string | null;
  captureDate: string | null;
  /** Null when the asset cannot be rendered now (offline, missing); `reason` says why. */
  source: RenditionSource | null;
  reason?: string;
}

/** Each name once, whatever its case: photo.jpg, photo-2.jpg, photo-3.jpg. */
function uniqueName(stem: string, ext: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}.${ext}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

/**
 * Renditions of the items into a folder (made if missing; files already there are never replaced,
 * a new name is found instead) or into a zip file (written aside, then renamed into place). Every
 * name comes from the preset's template with path characters replaced, so nothing lands outside
 * the target; an item that fails is reported and the others still go.
 */
export async function exportRenditions(
  items: ExportItem[],
  preset: RenditionPreset,
  to: string,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ExportResult> {
  if (!path.isAbsolute(to)) throw invalidInput(`export needs a full path to write to (got "${to}")`);
  const target = path.resolve(to);
  const zip = /\.zip$/i.test(target);
  if (zip) {
    if (!fs.existsSync(path.dirname(target)))
      throw notFound(`no folder ${path.dirname(target)} to write the zip into`);
    if (fs.existsSync(target)) throw invalidInput(`${target} exists already: choose another name`);
  } else {
    await fs.promises.mkdir(target, { recursive: true });
    if (!fs.statSync(target).isDirectory()) throw invalidInput(`${target} is not a folder`);
  }
  const taken = new Set<string>(zip ? [] : fs.readdirSync(target).map((n) => n.toLowerCase()));
  const result: ExportResult = { to: target, files: [], failed: [] };
  const archive = zip ? new yazl.ZipFile() : null;
  const tmp = zip ? `${target}.${process.pid}.partial` : '';
  const written = archive
    ? new Promise<void>((resolve, reject) => {
        const out = fs.createWriteStream(tmp);
        out.on('close', resolve);
        out.on('error', reject);
        archive.outputStream.on('error', reject).pipe(out);
      })
    : null;
  try {
    for (const [i, item] of items.entries()) {
      try {
        if (!item.source) throw new Error(item.reason ?? 'not available');
        const r = await renderRendition(item.source, preset);
        const stem = renditionName(preset.fileName, {
          name: item.name,
          id: item.assetId,
          date: item.captureDate,
          preset: preset.name,
          title: item.title,
        });
        const name = uniqueName(stem, r.ext, taken);
        if (archive) archive.addBuffer(r.data, name, { mtime: new Date() });
        else {
          const file = path.join(target, name);
          const part = `${file}.${process.pid}.partial`;
          await fs.promises.writeFile(part, r.data, { flag: 'wx' });
          await fs.promises.rename(part, file);
        }
        result.files.push({ assetId: item.assetId, name, bytes: r.data.length });
      } catch (err) {
        result.failed.push({
          assetId: item.assetId,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
      onProgress(i + 1, items.length);
    }
    if (archive && written) {
      archive.end();
      await written;
      await fs.promises.rename(tmp, target);
    }
  } catch (err) {
    if (tmp) fs.rmSync(tmp, { force: true });
    throw err;
  }
  return result;
}
