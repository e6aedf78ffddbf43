import type { ReleaseStatus, Warning } from './governance';

/** Today as YYYY-MM-DD in UTC: what SQLite's date('now') says, so filters and `show` agree. */
export function todayUtc(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export interface WarningInput {
  credit: string | null;
  licenseType: string | null;
  licenseEnd: string | null;
  sidecarError: boolean;
  /** Faces in the picture (removed ones not counted). */
  faces: number;
  modelRelease: ReleaseStatus | null;
}

/** A model release is on record: one was given (unlimited or limited), or none is needed. */
export function modelReleaseRecorded(status: ReleaseStatus | null): boolean {
  return status === 'unlimited' || status === 'limited' || status === 'not-applicable';
}

/** What is wrong with an asset's rights today (a licence is valid through its end date). */
export function computeWarnings(r: WarningInput, soonDays: number, today = todayUtc()): Warning[] {
  const out: Warning[] = [];
  if (r.licenseEnd) {
    if (r.licenseEnd < today) out.push('expired');
    else if (r.licenseEnd <= addDays(today, soonDays)) out.push('expires-soon');
  }
  if (!r.credit) out.push('no-credit');
  if (!r.licenseType) out.push('no-license');
  if (r.sidecarError) out.push('sidecar-unreadable');
  if (r.faces > 0 && !modelReleaseRecorded(r.modelRelease)) out.push('no-model-release');
  return out;
}
