import { useEffect, useState } from 'react';
import { centreCrop, uprightSize, type AssetCrop, type CropBox } from '../../../shared/crops';
import type { Asset } from '../../../shared/model';
import { api, call } from '../api/client';
import { usePublishing } from '../stores/publishing';

/** The endpoints' preset when they name none (publishing/render.ts DEFAULT_ENDPOINT_PRESET). */
const DEFAULT_PRESET = 'web';

/** The framed part of the thumbnail: the picture as background, scaled and shifted to the box. */
function FramePreview({
  asset,
  box,
  size,
}: {
  asset: Asset;
  box: CropBox;
  size: { width: number; height: number };
}) {
  const pos = (at: number, span: number) => (span >= 1 ? 0 : (at / (1 - span)) * 100);
  return (
    <span
      className="framing-preview"
      aria-hidden="true"
      style={{
        aspectRatio: `${box.w * size.width} / ${box.h * size.height}`,
        backgroundImage: `url("${api.mediaUrl('thumb', asset.id, asset.contentHash ?? undefined)}")`,
        backgroundSize: `${100 / box.w}% ${100 / box.h}%`,
        backgroundPosition: `${pos(box.x, box.w)}% ${pos(box.y, box.h)}%`,
      }}
    />
  );
}

/**
 * The framing each endpoint gets of an asset: for every endpoint whose preset names an aspect,
 * the asset's crop of that aspect, or the centred box the rendition falls back to.
 */
export function EndpointFraming({ asset }: { asset: Asset }) {
  const endpoints = usePublishing((s) => s.endpoints);
  const presets = usePublishing((s) => s.presets);
  const [crops, setCrops] = useState<AssetCrop[]>([]);
  useEffect(() => {
    void usePublishing
      .getState()
      .loadPresets()
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    let current = true;
    call('assets.crops', { id: asset.id }).then(
      (list) => current && setCrops(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [asset]);

  const framed = endpoints.flatMap((e) => {
    const preset = presets.find((p) => p.name === (e.preset ?? DEFAULT_PRESET));
    return preset?.aspect ? [{ endpoint: e.name, preset: preset.name, aspect: preset.aspect }] : [];
  });
  if (framed.length === 0 || !asset.thumbnail) return null;
  const size =
    asset.width && asset.height
      ? uprightSize(asset.width, asset.height, asset.orientation)
      : { width: 1, height: 1 };
  return (
    <section className="panel-section">
      <h3 className="section-title">Framing</h3>
      <ul className="framings" aria-label="Framing per endpoint">
        {framed.map((f) => {
          const crop = crops.find((c) => c.aspect === f.aspect);
          const box = crop?.box ?? centreCrop(f.aspect, size.width, size.height);
          const how = crop ? 'its crop' : 'centred, no crop set';
          return (
            <li key={f.endpoint} aria-label={`${f.endpoint}: ${f.aspect}, ${how}`}>
              <FramePreview asset={asset} box={box} size={size} />
              <span>
                <strong>{f.endpoint}</strong>
                <span className="muted">
                  {' '}
                  {f.preset} · {f.aspect} · {how}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
