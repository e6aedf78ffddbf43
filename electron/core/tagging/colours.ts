import { COLOR_MATCH_SHARE, type PaletteColor } from '../../../shared/colors';
import { replaceColors } from '../catalog/colors.repository';
import { paletteOf } from '../ingest/thumbnails/palette';
import type { Analyser, AnalyserStore, ProposedTag } from './analyser';

/**
 * Dominant colours of the shared decode (no model): the palette (kept in asset_colors for
 * color:, the facet and show --json) and one `color` tag per family that covers enough of the
 * picture (a tenth, and at least the tagging threshold), its share as the confidence and its main
 * hex kept beside.
 */
export const coloursAnalyser: Analyser<PaletteColor[]> = {
  name: 'colours',
  modelVersion: 'palette-1',
  needs: {},
  run(image, _models, settings) {
    const palette = paletteOf(image.data, image.width, image.height, 3);
    const families = new Map<string, { share: number; hex: string }>();
    for (const c of palette) {
      const f = families.get(c.family);
      if (f) f.share += c.share;
      else families.set(c.family, { share: c.share, hex: c.hex });
    }
    const tags: ProposedTag[] = [...families]
      // The one proposal threshold applies to colours too (their share is their confidence).
      .filter(([, f]) => f.share >= Math.max(COLOR_MATCH_SHARE, settings.threshold))
      .map(([family, f]) => ({
        kind: 'color',
        label: family,
        confidence: Math.min(1, Math.round(f.share * 1000) / 1000),
        box: null,
        model: 'palette',
        extra: { hex: f.hex },
      }));
    return Promise.resolve({ tags, extra: palette });
  },
};

/** Main side: the palette replaces the asset's (cleared when the picture could not be read). */
export const coloursStore: AnalyserStore<PaletteColor[]> = {
  name: 'colours',
  store(db, assetId, _fileId, palette) {
    replaceColors(db, assetId, palette ?? []);
  },
};
