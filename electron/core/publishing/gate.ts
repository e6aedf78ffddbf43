import type { ApprovalState, Channel } from '../../../shared/governance';
import type { RequirableField } from '../../../shared/publishing';
import { todayUtc } from '../../../shared/warnings';
import type { EndpointRow } from '../catalog/endpoints.repository';
import type { FieldValues } from '../governance/fields';

/**
 * May this asset be on this endpoint now? Checked at every delivery, not only at approval: the
 * licence may have ended, the asset been retired, a required field cleared since.
 * `pull`: a copy already there must come down (retired, rejected, licence over or not begun, channel
 * not allowed); otherwise a copy already there stays as it is and nothing new goes out.
 */
export type Gate = { ok: true } | { ok: false; reason: string; pull: boolean; quiet?: boolean };

const FIELD_WORDS: Record<RequirableField, string> = {
  altText: 'alt text',
  credit: 'credit line',
  title: 'title',
  description: 'description',
  creator: 'creator',
};

/**
 * `lackingRelease`: the channels the asset needs a model release for and lacks
 * (governance/model-release.ts); an endpoint of one of them is refused.
 */
export function checkGate(
  ep: EndpointRow,
  state: ApprovalState,
  f: FieldValues,
  lackingRelease: readonly Channel[],
  today = todayUtc(),
): Gate {
  if (state === 'retired' || state === 'rejected') return { ok: false, reason: `it is ${state}`, pull: true };
  if (f.licenseEnd && f.licenseEnd < today)
    return { ok: false, reason: `its licence ended on ${f.licenseEnd}`, pull: true };
  if (f.licenseStart && f.licenseStart > today)
    return { ok: false, reason: `its licence starts on ${f.licenseStart}`, pull: true };
  // No channels set means no restriction recorded; a list that leaves the endpoint's channel out forbids it.
  if (f.channels.length && !f.channels.includes(ep.channel))
    return {
      ok: false,
      reason: `its channels (${f.channels.join(', ')}) do not include ${ep.channel}`,
      pull: true,
    };
  if (state !== 'approved')
    // In review (a newer version came in), a draft: not a refusal worth a line; a copy there stays.
    return {
      ok: false,
      reason: `its current version is not approved (it is ${state})`,
      pull: false,
      quiet: true,
    };
  // Not pulled: a face found later (or wrongly) must not take down a copy already there; nothing new goes out.
  if (lackingRelease.includes(ep.channel))
    return {
      ok: false,
      reason: `no model release: people are in the picture and ${ep.channel} needs one`,
      pull: false,
    };
  const missing = ep.required.filter((r) => {
    const v = f[r];
    return v == null || String(v).trim() === '';
  });
  if (missing.length)
    return {
      ok: false,
      reason: `${ep.name} requires ${missing.map((m) => FIELD_WORDS[m]).join(' and ')}, which it lacks`,
      pull: false,
    };
  return { ok: true };
}
