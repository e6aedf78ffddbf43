// The dominant colours of assets (asset_colors, migration 8): stored, read back, counted per
// family, and the SQL of the color: filter. SQL only; the palette itself is ingest/thumbnails/palette.ts.
import {
  COLOR_FAMILIES,
  COLOR_MATCH_DISTANCE,
  COLOR_MATCH_SHARE,
  parseHex,
  rgbToLab,
  type ColorFamily,
  type PaletteColor,
} from '../../../shared/colors';
import type { Db } from './open';
import { HIDDEN_ROW_SQL } from './stacks.repository';
import { stmt } from './statements';

/** An asset's palette replaces the one it had (a new content, a newer analyser). */
export function replaceColors(db: Db, assetId: number, palette: readonly PaletteColor[]): void {
  stmt(db, `DELETE FROM asset_colors WHERE asset_id = ?`).run(assetId);
  const insert = stmt(
    db,
    `INSERT INTO asset_colors (asset_id, rank, hex, name, family, share, l, a, b) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  palette.forEach((c, rank) => {
    const rgb = parseHex(c.hex);
    if (!rgb || c.share <= 0) return;
    const [l, a, b] = rgbToLab(...rgb);
    insert.run(assetId, rank, c.hex.toLowerCase(), c.name, c.family, Math.min(1, c.share), l, a, b);
  });
}

/** For each asset, its colours, most covering first (none: not analysed, or no opaque pixels). */
export function colorsOf(db: Db, assetIds: readonly number[]): Map<number, PaletteColor[]> {
  const rows = stmt(
    db,
    `SELECT asset_id AS id, hex, name, family, share FROM asset_colors
      WHERE asset_id IN (SELECT value FROM json_each(?)) ORDER BY asset_id, rank`,
  ).all(JSON.stringify(assetIds)) as (PaletteColor & { id: number })[];
  const out = new Map<number, PaletteColor[]>();
  for (const { id, ...c } of rows) {
    const list = out.get(id) ?? [];
    list.push(c);
    out.set(id, list);
  }
  return out;
}

/** What a color: term asks for: a family (red), a palette name (navy) or a hex value. */
export type ColorQuery = { by: 'family' | 'name'; value: string } | { by: 'hex'; value: string };

/**
 * The assets a color: term finds, as a set for `s.asset_id IN (...)`: those whose colours of that
 * family or name, or within COLOR_MATCH_DISTANCE (ΔE) of the hex value, cover at least
 * COLOR_MATCH_SHARE of the picture together.
 */
export function colorMatchSql(q: ColorQuery): { sql: string; params: number[] | string[] } {
  const having = `GROUP BY asset_id HAVING sum(share) >= ${COLOR_MATCH_SHARE}`;
  if (q.by === 'family' || q.by === 'name')
    return {
      sql: `SELECT asset_id FROM asset_colors WHERE ${q.by} = ? ${having}`,
      params: [q.value],
    };
  const [l, a, b] = rgbToLab(...(parseHex(q.value) ?? [0, 0, 0]));
  const d = COLOR_MATCH_DISTANCE;
  return {
    sql: `SELECT asset_id FROM asset_colors WHERE l BETWEEN ? AND ?
            AND (l - ?) * (l - ?) + (a - ?) * (a - ?) + (b - ?) * (b - ?) <= ? ${having}`,
    params: [l - d, l + d, l, l, a, a, b, b, d * d],
  };
}

/** How many assets (as search shows them: a stack's hidden versions not counted) each family finds. */
export function colorFacets(db: Db): { family: ColorFamily; count: number }[] {
  const rows = stmt(
    db,
    `SELECT c.family, count(*) AS n FROM (
        SELECT asset_id, family FROM asset_colors GROUP BY asset_id, family HAVING sum(share) >= ${COLOR_MATCH_SHARE}
      ) c JOIN asset_search s ON s.asset_id = c.asset_id
      WHERE ${HIDDEN_ROW_SQL} GROUP BY c.family`,
  ).all() as { family: ColorFamily; n: number }[];
  const by = new Map(rows.map((r) => [r.family, r.n]));
  return COLOR_FAMILIES.map((family) => ({ family, count: by.get(family) ?? 0 }));
}
