import { useEffect, useState, type RefObject } from 'react';
import type { FaceView } from '../../../shared/people';
import { call, errorMessage } from '../api/client';
import { usePictureRect } from '../lib/picture-rect';

const pct = (n: number) => `${(n * 100).toFixed(3)}%`;

/**
 * The faces of the asset shown, as boxes over the loupe's picture with the person's name when
 * known. `layout` changes whenever the picture may have moved (zoom, pan, the image loading, the
 * side panel); the stage's own size is watched.
 */
export function FaceBoxes({
  assetId,
  version,
  stage,
  layout,
}: {
  assetId: number;
  /** Changes when the asset's details do (a face named elsewhere): the faces are read again. */
  version: unknown;
  stage: RefObject<HTMLDivElement | null>;
  layout: string;
}) {
  const [faces, setFaces] = useState<{ assetId: number; list: FaceView[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rect = usePictureRect(stage, layout);

  useEffect(() => {
    let current = true;
    call('people.faces', { assetId }).then(
      (list) => {
        if (!current) return;
        setFaces({ assetId, list });
        setError(null);
      },
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [assetId, version]);

  if (error) return <p className="loupe-note">Could not read the faces: {error}</p>;
  if (!faces || faces.assetId !== assetId) return null;
  if (faces.list.length === 0) return <p className="loupe-note">No faces found in this picture</p>;
  if (!rect) return null;
  return (
    <div
      className="face-layer"
      role="group"
      aria-label="Faces"
      style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
    >
      {faces.list.map((f) => (
        <div
          key={f.id}
          className={`face-box${f.name ? ' named' : ''}`}
          role="img"
          aria-label={f.name ? `Face: ${f.name}` : 'Face, unnamed'}
          style={{ left: pct(f.box.x), top: pct(f.box.y), width: pct(f.box.w), height: pct(f.box.h) }}
        >
          {f.name && <span className="face-name">{f.name}</span>}
        </div>
      ))}
    </div>
  );
}
