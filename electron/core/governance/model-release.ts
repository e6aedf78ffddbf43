// The model-release rule: a picture with people in it (faces found or read from XMP) and no model
// release on record may not be approved for, or delivered to, the channels the user lists
// (`model-release-channels`). Approval and the publishing gate ask the same question here.
import type { Channel } from '../../../shared/governance';
import { modelReleaseRecorded } from '../../../shared/warnings';
import { faceCount } from '../catalog/faces.repository';
import type { Db } from '../catalog/open';
import { readFields } from './field-store';
import type { FieldValues } from './fields';
import { modelReleaseChannels } from './settings';

/**
 * The channels of the rule this asset may go to while it lacks the release they need (none: the
 * rule does not stop it). An asset without channels recorded may go anywhere, so every channel of
 * the rule applies to it.
 */
export function channelsLackingRelease(db: Db, assetId: number, f?: FieldValues): Channel[] {
  const rule = modelReleaseChannels(db);
  if (!rule.length) return [];
  const fields = f ?? readFields(db, assetId);
  if (modelReleaseRecorded(fields.modelRelease) || faceCount(db, assetId) === 0) return [];
  return fields.channels.length ? rule.filter((c) => fields.channels.includes(c)) : rule;
}
