import path from 'node:path';
import type { ExportResult } from '../../../shared/contract';
import { BUILT_IN_PRESETS, type RenditionPreset } from '../../../shared/renditions';
import { renditionSources } from '../catalog/rendition-sources.repository';
import { cropsOf } from '../catalog/crops.repository';
import type { CropAspect } from '../../../shared/crops';
import type { Db } from '../catalog/open';
import { conflict, invalidInput, notFound } from '../errors';
import { readFields } from '../governance/field-store';
import { getSetting, putSetting } from '../governance/settings';
import type { FormatId } from '../ingest/formats/file-types';
import { isInside } from '../paths';
import { exportRenditions, type ExportItem } from './export';
import { renderRendition, type Rendition, type RenditionSource } from './render';

const SETTING = 'rendition-presets';

/** Presets (built-in and the user's, kept in the catalogue's settings) and what is made with them. */
export class RenditionsService {
  constructor(
    private readonly db: Db,
    private readonly hooks: {
      /** Copies of these assets were written out (counted as downloads in the usage figures). */
      exported?: (assetIds: number[], by?: string) => void;
    } = {},
  ) {}

  presets(): RenditionPreset[] {
    return [...BUILT_IN_PRESETS, ...this.userPresets()];
  }

  preset(name: string): RenditionPreset {
    const p = this.presets().find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
    if (!p)
      throw notFound(
        `no preset "${name}" (presets: ${this.presets()
          .map((x) => x.name)
          .join(', ')})`,
      );
    return p;
  }

  savePreset(p: Omit<RenditionPreset, 'builtIn'>): RenditionPreset {
    const name = p.name.trim();
    if (!name) throw invalidInput('a preset needs a name');
    if (BUILT_IN_PRESETS.some((b) => b.name.toLowerCase() === name.toLowerCase()))
      throw conflict(`"${name}" is a built-in preset: choose another name`);
    const saved: RenditionPreset = { ...p, name, builtIn: false };
    const rest = this.userPresets().filter((x) => x.name.toLowerCase() !== name.toLowerCase());
    this.store([...rest, saved]);
    return saved;
  }

  removePreset(name: string): { removed: boolean } {
    if (BUILT_IN_PRESETS.some((b) => b.name.toLowerCase() === name.toLowerCase()))
      throw conflict(`"${name}" is a built-in preset and stays`);
    const before = this.userPresets();
    const after = before.filter((x) => x.name.toLowerCase() !== name.toLowerCase());
    this.store(after);
    return { removed: after.length < before.length };
  }

  /** One rendition of one asset, e.g. for publishing. */
  async render(assetId: number, presetName: string, opts: { aspect?: CropAspect } = {}): Promise<Rendition> {
    const item = this.items([assetId])[0]!;
    if (!item.source) throw notFound(`asset ${assetId}: ${item.reason ?? 'not available'}`);
    return renderRendition(item.source, this.withAspect(this.preset(presetName), opts.aspect));
  }

  /** One rendition with a preset made for the occasion (a share link's sizes and watermark). */
  async renderWith(assetId: number, preset: RenditionPreset): Promise<Rendition> {
    const item = this.items([assetId])[0]!;
    if (!item.source) throw notFound(`asset ${assetId}: ${item.reason ?? 'not available'}`);
    return renderRendition(item.source, preset);
  }

  /** The current file of an asset when it can be read now (present, its root online), for sending as it is. */
  originalFile(assetId: number): { path: string; name: string } | null {
    const item = this.items([assetId])[0]!;
    return item.source ? { path: item.source.path, name: item.name } : null;
  }

  async export(
    ids: readonly number[],
    presetName: string,
    to: string,
    onProgress?: (done: number, total: number) => void,
    /** `by`: the account exporting (dam serve), counted in the usage figures; else this process's user. */
    opts: { aspect?: CropAspect; by?: string } = {},
  ): Promise<ExportResult> {
    const result = await exportRenditions(
      this.items(ids),
      this.withAspect(this.preset(presetName), opts.aspect),
      to,
      onProgress,
    );
    if (result.files.length) this.hooks.exported?.([...new Set(result.files.map((f) => f.assetId))], opts.by);
    return result;
  }

  private withAspect(p: RenditionPreset, aspect: CropAspect | undefined): RenditionPreset {
    return aspect ? { ...p, aspect } : p;
  }

  private items(ids: readonly number[]): ExportItem[] {
    const rows = renditionSources(this.db, ids);
    return ids.map((assetId): ExportItem => {
      const r = rows.get(assetId);
      if (!r)
        return {
          assetId,
          name: `asset-${assetId}`,
          title: null,
          captureDate: null,
          source: null,
          reason: 'not in the catalogue',
        };
      const values = readFields(this.db, assetId);
      const base = { assetId, name: r.name, title: values.title, captureDate: r.capture_date };
      const file = path.join(r.root_path, ...r.rel_path.split('/'));
      if (r.root_state !== 'online') return { ...base, source: null, reason: 'its folder is offline' };
      if (r.state !== 'present') return { ...base, source: null, reason: 'its file is missing' };
      if (!isInside(r.root_path, file)) return { ...base, source: null, reason: 'outside its root' };
      const source: RenditionSource = {
        path: file,
        format: r.format as FormatId,
        values,
        gps: r.gps_lat !== null && r.gps_lon !== null ? { lat: r.gps_lat, lon: r.gps_lon } : null,
        make: r.make,
        model: r.model,
        captureDate: r.capture_date,
        crops: Object.fromEntries(cropsOf(this.db, assetId).map((c) => [c.aspect, c.box])),
      };
      return { ...base, source };
    });
  }

  private userPresets(): RenditionPreset[] {
    try {
      const v: unknown = JSON.parse(getSetting(this.db, SETTING) ?? '[]');
      return Array.isArray(v) ? (v as RenditionPreset[]).map((p) => ({ ...p, builtIn: false })) : [];
    } catch {
      return [];
    }
  }

  private store(presets: RenditionPreset[]): void {
    putSetting(this.db, SETTING, JSON.stringify(presets));
  }
}
