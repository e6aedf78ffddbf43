import { useState } from 'react';
import type { FaceBox } from '../../../shared/people';
import { api } from '../api/client';

/** Room around the face, so a crop shows a head rather than a nose (1: the box itself). */
const MARGIN = 1.5;

/**
 * A face cut from its picture's preview in the browser: the preview is upright, as the boxes are
 * (normalized to the picture as shown), so the crop is a matter of scaling and shifting the image
 * inside a square window. The image's own size is known once it has loaded; until then it is hidden.
 */
export function FaceCrop({
  assetId,
  box,
  size,
  alt,
}: {
  assetId: number;
  box: FaceBox;
  size: number;
  alt: string;
}) {
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [failed, setFailed] = useState(false);
  let style: React.CSSProperties = { visibility: 'hidden' };
  if (natural) {
    const side = Math.max(box.w * natural.w, box.h * natural.h, 1) * MARGIN;
    const cx = (box.x + box.w / 2) * natural.w;
    const cy = (box.y + box.h / 2) * natural.h;
    const scale = size / side;
    style = {
      width: natural.w * scale,
      height: natural.h * scale,
      left: -(cx - side / 2) * scale,
      top: -(cy - side / 2) * scale,
    };
  }
  return (
    <span className="face-crop" style={{ width: size, height: size }}>
      {failed ? (
        <span className="face-crop-missing" aria-label={alt} role="img" />
      ) : (
        <img
          src={api.mediaUrl('preview', assetId)}
          alt={alt}
          draggable={false}
          style={style}
          onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
          onError={() => setFailed(true)}
        />
      )}
    </span>
  );
}
