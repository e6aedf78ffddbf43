import path from 'node:path';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';
import { ProgressBar } from './progress';
import { CROP_ASPECTS, isCropAspect, parseCropBox, type AssetCrop } from '../../shared/crops';

export const EXPORT_HELP = `  export ID|PATH... --preset NAME --to DIR|FILE.zip [--aspect 1:1|4:5|16:9|free] [--json]
                           renditions of assets into a folder or a zip (upright, sRGB, the
                           catalogue's credit, caption, alt text and keywords in XMP; no GPS or
                           camera serial numbers unless the preset keeps them); --aspect frames
                           each to its crop of that aspect (the centred one when none is set)
  crop ID|PATH [--json]    an asset's crops per aspect
  crop ID|PATH --aspect 1:1|4:5|16:9|free --box X,Y,W,H | --clear
                           set (fractions of the upright picture's width and height; a fixed
                           aspect's box must have its shape) or clear one aspect's crop
  presets [--json]         the rendition presets: web, social, thumb, print, original and yours`;

export const EXPORT_COMMANDS = ['export', 'presets', 'crop'];

function cropLine(c: AssetCrop): string {
  const n = (v: number) => v.toFixed(4).replace(/\.?0+$/, '') || '0';
  return `${c.aspect.padEnd(5)} ${[c.box.x, c.box.y, c.box.w, c.box.h].map(n).join(',')}`;
}

async function runCrop(
  lib: Library,
  args: string[],
  values: { json?: boolean; aspect?: string; box?: string; clear?: boolean },
  out: (s: string) => void,
): Promise<number> {
  if (args.length !== 1)
    throw invalidInput('crop takes one asset: dam crop ID|PATH --aspect 1:1 --box x,y,w,h');
  const a = lib.findAsset(args[0]!);
  if (!a) throw notFound(`no asset ${args[0]} in the catalogue`);
  let crops: AssetCrop[];
  if (values.box === undefined && !values.clear) {
    if (values.aspect) throw invalidInput('crop --aspect needs --box X,Y,W,H or --clear');
    crops = lib.crops.list(a.id);
  } else {
    if (values.box !== undefined && values.clear) throw invalidInput('choose --box or --clear, not both');
    if (!isCropAspect(values.aspect))
      throw invalidInput(`crop needs --aspect ${CROP_ASPECTS.join('|')} (got ${values.aspect ?? 'none'})`);
    if (values.clear) crops = lib.crops.clear(a.id, values.aspect);
    else {
      const box = parseCropBox(values.box!);
      if (!box) throw invalidInput(`--box expects four numbers x,y,w,h from 0 to 1 (got "${values.box}")`);
      crops = lib.crops.set(a.id, values.aspect, box);
    }
    // The crops travel in the sidecar: written before we exit.
    await lib.governance.sync(a.id);
  }
  if (values.json) out(JSON.stringify(crops, null, 2));
  else if (!crops.length) out(`asset ${a.id}: no crops (renditions of an aspect take its centred box)`);
  else for (const c of crops) out(cropLine(c));
  return 0;
}

export async function runExportCommand(
  lib: Library,
  command: string,
  args: string[],
  values: {
    json?: boolean;
    preset?: string;
    to?: string;
    aspect?: string;
    box?: string;
    clear?: boolean;
  },
  out: (s: string) => void,
): Promise<number> {
  if (command === 'crop') return runCrop(lib, args, values, out);
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
  if (values.aspect !== undefined && !isCropAspect(values.aspect))
    throw invalidInput(`--aspect expects ${CROP_ASPECTS.join(', ')} (got "${values.aspect}")`);
  const res = await lib.renditions.export(
    ids,
    values.preset,
    path.resolve(values.to),
    (done, total) => bar?.update('Exporting', done, total),
    values.aspect ? { aspect: values.aspect } : {},
  );
  bar?.clear();
  if (values.json) out(JSON.stringify(res, null, 2));
  else {
    out(`${res.files.length} file${res.files.length === 1 ? '' : 's'} written to ${res.to}`);
    for (const f of res.failed) out(`  not exported: asset ${f.assetId}: ${f.reason}`);
  }
  return res.failed.length && res.files.length === 0 ? 1 : 0;
}
