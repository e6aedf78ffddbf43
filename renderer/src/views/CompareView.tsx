import { useEffect, useState } from 'react';
import type { Asset } from '../../../shared/model';
import { cameraName, formatBytes, formatCaptureDate, formatDimensions } from '../lib/format';
import { STATE_LABELS, formatWhen } from '../lib/governance';
import { useAsset, useLibrary } from '../stores/library';
import { useUi, type CompareSide, type CompareSpec } from '../stores/ui';
import { ViewDialog } from '../components/ViewDialog';

/** The facts compared, in the order shown; a version's come from its asset, a kept content's from the spec. */
function factsOf(side: CompareSide, asset: Asset | undefined): [string, string][] {
  if (!asset) return side.facts ?? [];
  const rows: [string, string | null][] = [
    ['Dimensions', formatDimensions(asset)],
    ['Size', formatBytes(asset.size)],
    ['Captured', formatCaptureDate(asset.captureDate)],
    ['Modified', formatWhen(asset.mtime)],
    ['Approval', STATE_LABELS[asset.approval.state]],
    ['Camera', cameraName(asset.make, asset.model)],
    ['Format', asset.format.toUpperCase()],
    ['Folder', asset.folder || '/'],
  ];
  return [...(side.facts ?? []), ...rows.filter((r): r is [string, string] => r[1] !== null)];
}

function Side({
  side,
  facts,
  differs,
}: {
  side: CompareSide;
  facts: [string, string][];
  differs: Set<string>;
}) {
  const [failed, setFailed] = useState(false);
  return (
    <figure className="compare-side">
      <div className="compare-stage">
        {side.url && !failed ? (
          <img src={side.url} alt={side.label} onError={() => setFailed(true)} />
        ) : (
          <p className="muted">No preview</p>
        )}
      </div>
      <figcaption className="compare-facts">
        <h3 className="compare-name" title={side.label}>
          {side.label}
        </h3>
        <dl>
          {facts.map(([k, v]) => (
            <div key={k} className={differs.has(k) ? 'differs' : undefined}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </figcaption>
    </figure>
  );
}

/** Two pictures side by side, fitted to the window, each with its facts; what differs is marked. Esc closes. */
export function CompareView({ spec }: { spec: CompareSpec }) {
  const close = () => useUi.getState().set({ compare: null });
  const left = useAsset(spec.left.assetId);
  const right = useAsset(spec.right.assetId);
  useEffect(() => {
    const ids = [spec.left.assetId, spec.right.assetId].filter((id): id is number => id !== undefined);
    if (ids.length) void useLibrary.getState().fetch(ids);
  }, [spec]);

  const a = factsOf(spec.left, left);
  const b = factsOf(spec.right, right);
  const other = new Map(b);
  const differs = new Set(a.filter(([k, v]) => other.has(k) && other.get(k) !== v).map(([k]) => k));
  return (
    <ViewDialog
      className="compare"
      title={spec.title}
      closeTitle="Close compare (Esc)"
      onClose={close}
      summary={
        differs.size > 0
          ? `Differs in ${[...differs].map((k) => k.toLowerCase()).join(', ')}`
          : a.length && b.length
            ? 'No difference in these details'
            : ''
      }
      tools={<div />}
    >
      <div className="compare-body">
        <Side side={spec.left} facts={a} differs={differs} />
        <Side side={spec.right} facts={b} differs={differs} />
      </div>
    </ViewDialog>
  );
}
