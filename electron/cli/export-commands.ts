import path from 'node:path';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';
import { ProgressBar } from './progress';

export const EXPORT_HELP = `  export ID|PATH... --preset NAME --to DIR|FILE.zip [--json]
                           renditions of assets into a folder or a zip (upright, sRGB, the
                           catalogue's credit, caption, alt text and keywords in XMP; no GPS or
                           camera serial numbers unless the preset keeps them)
  presets [--json]         the rendition presets: web, social, thumb, print, original and yours`;

export const EXPORT_COMMANDS = ['export', 'presets'];

export async function runExportCommand(
  lib: Library,
  command: string,
  args: string[],
  values: { json?: boolean; preset?: string; to?: string },
  out: (s: string) => void,
): Promise<number> {
  if (command === 'presets') {
    const all = lib.renditions.presets();
    if (values.json) out(JSON.stringify(all, null, 2));
    else
      for (const p of all)
        out(
          `${p.name.padEnd(12)} ${p.format.padEnd(8)} ${p.longEdge ? `${p.longEdge} px` : 'full size'}` +
            `${p.format === 'original' ? '' : `, quality ${p.quality}`}${p.watermark ? `, watermark "${p.watermark}"` : ''}` +
            `${p.builtIn ? '' : '  (yours)'}`,
        );
    return 0;
  }
  if (args.length === 0)
    throw invalidInput('export needs at least one asset: dam export ID|PATH... --preset NAME --to DIR');
  if (!values.preset) throw invalidInput('export needs --preset NAME (see dam presets)');
  if (!values.to) throw invalidInput('export needs --to DIR or --to FILE.zip');
  const ids = args.map((arg) => {
    const a = lib.findAsset(arg);
    if (!a) throw notFound(`no asset ${arg} in the catalogue`);
    return a.id;
  });
  const bar = values.json ? null : new ProgressBar();
  const res = await lib.renditions.export(ids, values.preset, path.resolve(values.to), (done, total) =>
    bar?.update('Exporting', done, total),
  );
  bar?.clear();
  if (values.json) out(JSON.stringify(res, null, 2));
  else {
    out(`${res.files.length} file${res.files.length === 1 ? '' : 's'} written to ${res.to}`);
    for (const f of res.failed) out(`  not exported: asset ${f.assetId}: ${f.reason}`);
  }
  return res.failed.length && res.files.length === 0 ? 1 : 0;
}
