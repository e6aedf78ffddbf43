import type { AssetCrop, CropAspect, CropBox } from '../../../shared/crops';
import { cropProblem } from '../../../shared/crops';
import { cropsOf, putCrop } from '../catalog/crops.repository';
import { shownSize } from '../catalog/faces.repository';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { invalidInput, notFound } from '../errors';
import type { CoreEventBus } from '../events';

export interface CropsDeps {
  db: Db;
  events: CoreEventBus;
  /** Owe the asset's sidecar a write (the crops travel in it, tessera:Crops). */
  syncSidecar: (assetId: number) => void;
}

/**
 * Per-aspect crops of an asset: set, cleared and listed here (the catalogue's asset_crops, then the
 * sidecar); a rendition whose preset names an aspect applies it (renditions/render.ts).
 */
export class CropsService {
  constructor(private readonly deps: CropsDeps) {}

  private exists(assetId: number): void {
    if (!stmt(this.deps.db, `SELECT 1 FROM assets WHERE id = ?`).get(assetId))
      throw notFound(`no asset ${assetId} in the catalogue`);
  }

  list(assetId: number): AssetCrop[] {
    this.exists(assetId);
    return cropsOf(this.deps.db, assetId);
  }

  /** Set one aspect's crop: a box inside the upright picture, of the aspect's shape (but for free). */
  set(assetId: number, aspect: CropAspect, box: CropBox): AssetCrop[] {
    this.exists(assetId);
    const size = shownSize(this.deps.db, assetId);
    const problem = cropProblem(aspect, box, size?.w ?? 0, size?.h ?? 0);
    if (problem) throw invalidInput(`crop ${aspect} of asset ${assetId}: ${problem}`);
    return this.write(assetId, aspect, box);
  }

  clear(assetId: number, aspect: CropAspect): AssetCrop[] {
    this.exists(assetId);
    return this.write(assetId, aspect, null);
  }

  private write(assetId: number, aspect: CropAspect, box: CropBox | null): AssetCrop[] {
    putCrop(this.deps.db, assetId, aspect, box, Date.now());
    this.deps.syncSidecar(assetId);
    this.deps.events.emit('catalog-changed', { assetIds: [assetId] });
    return cropsOf(this.deps.db, assetId);
  }
}
