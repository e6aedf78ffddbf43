import type { Asset } from '../../../shared/model';
import { extension } from '../lib/format';
import { Icon, type IconName } from './Icon';

const ICONS: Record<Asset['type'], IconName> = {
  image: 'image',
  raw: 'aperture',
  video: 'film',
  audio: 'music',
  design: 'pen',
  '3d': 'cube',
  other: 'file',
};

/** Stands in for a thumbnail that could not be made: what kind of file, and its extension. */
export function TypeIcon({ asset, large = false }: { asset: Asset; large?: boolean }) {
  return (
    <div className={`type-icon type-${asset.type}${large ? ' large' : ''}`}>
      <Icon name={ICONS[asset.type]} size={large ? 56 : 28} />
      <span>{extension(asset.name) || asset.format.toUpperCase()}</span>
    </div>
  );
}
