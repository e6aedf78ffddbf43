import os from 'node:os';
import {
  CHANNELS,
  SIDECAR_NAMINGS,
  type Channel,
  type GovernanceSettings,
  type SidecarNaming,
} from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { invalidInput } from '../errors';

/** Who did something: the person and the machine, as the approval log and the sidecar record them. */
export interface Actor {
  user: string;
  machine: string;
}

export function defaultActor(): Actor {
  let user = process.env.USER ?? 'unknown';
  try {
    user = os.userInfo().username || user;
  } catch {
    // No passwd entry (some containers): the environment's name will do.
  }
  return { user, machine: os.hostname() || 'unknown' };
}

export function getSetting(db: Db, key: string): string | undefined {
  return stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
}

export function putSetting(db: Db, key: string, value: string): void {
  stmt(db, `INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(key, value);
}

/** This catalogue's id in version clocks (created by the migration). */
export function catalogId(db: Db): string {
  return getSetting(db, 'catalog-id') ?? 'local';
}

const RELEASE_CHANNELS_KEY = 'model-release-channels';

/** The channels a picture with people needs a model release for (stored as a comma list; unknown words skipped). */
export function modelReleaseChannels(db: Db): Channel[] {
  const words = (getSetting(db, RELEASE_CHANNELS_KEY) ?? '').split(',');
  return CHANNELS.filter((c) => words.includes(c));
}

export function readSettings(db: Db): GovernanceSettings {
  const naming = getSetting(db, 'sidecar-naming');
  const days = Number(getSetting(db, 'expiry-warning-days'));
  return {
    sidecarNaming: (SIDECAR_NAMINGS as readonly string[]).includes(naming ?? '')
      ? (naming as SidecarNaming)
      : 'photo.xmp',
    requireRightsForApproval: getSetting(db, 'require-rights-for-approval') !== '0',
    expiryWarningDays: Number.isInteger(days) && days >= 0 ? days : 30,
    embedXmp: getSetting(db, 'embed-xmp') === '1',
    modelReleaseChannels: modelReleaseChannels(db),
  };
}

export function writeSettings(db: Db, patch: Partial<GovernanceSettings>): GovernanceSettings {
  if (patch.sidecarNaming !== undefined) {
    if (!(SIDECAR_NAMINGS as readonly string[]).includes(patch.sidecarNaming))
      throw invalidInput(`sidecar naming is photo.xmp or photo.jpg.xmp (got "${patch.sidecarNaming}")`);
    putSetting(db, 'sidecar-naming', patch.sidecarNaming);
  }
  if (patch.requireRightsForApproval !== undefined)
    putSetting(db, 'require-rights-for-approval', patch.requireRightsForApproval ? '1' : '0');
  if (patch.modelReleaseChannels !== undefined) {
    const bad = patch.modelReleaseChannels.find((c) => !(CHANNELS as readonly string[]).includes(c));
    if (bad !== undefined) throw invalidInput(`"${bad}" is not a channel (channels: ${CHANNELS.join(', ')})`);
    const set = new Set(patch.modelReleaseChannels);
    putSetting(db, RELEASE_CHANNELS_KEY, CHANNELS.filter((c) => set.has(c)).join(','));
  }
  if (patch.embedXmp !== undefined) putSetting(db, 'embed-xmp', patch.embedXmp ? '1' : '0');
  if (patch.expiryWarningDays !== undefined) {
    if (
      !Number.isInteger(patch.expiryWarningDays) ||
      patch.expiryWarningDays < 0 ||
      patch.expiryWarningDays > 3650
    )
      throw invalidInput('expiry warning days is a whole number from 0 to 3650');
    putSetting(db, 'expiry-warning-days', String(patch.expiryWarningDays));
  }
  return readSettings(db);
}
