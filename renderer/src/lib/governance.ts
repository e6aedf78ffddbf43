import {
  APPROVAL_TRANSITIONS,
  type ApprovalAction,
  type ApprovalState,
  type Channel,
  type LicenseType,
  type ReleaseStatus,
  type Warning,
} from '../../../shared/governance';

// Words for the governance vocabularies, in one place: badges, facets, panels and review mode
// say the same thing for the same state.

export const STATE_LABELS: Record<ApprovalState, string> = {
  draft: 'Draft',
  'in-review': 'In review',
  approved: 'Approved',
  'changes-requested': 'Changes requested',
  rejected: 'Rejected',
  retired: 'Retired',
};

export const ACTION_LABELS: Record<ApprovalAction, string> = {
  submit: 'Submit for review',
  approve: 'Approve',
  'request-changes': 'Request changes',
  reject: 'Reject',
  retire: 'Retire',
};

/** Past tense, for summaries: "3 approved". */
export const ACTION_DONE: Record<ApprovalAction, string> = {
  submit: 'submitted for review',
  approve: 'approved',
  'request-changes': 'sent back for changes',
  reject: 'rejected',
  retire: 'retired',
};

export const WARNING_LABELS: Record<Warning, string> = {
  expired: 'Licence expired',
  'expires-soon': 'Licence expires soon',
  'no-credit': 'No credit line',
  'no-license': 'No licence',
  'sidecar-unreadable': 'Sidecar unreadable',
  'no-model-release': 'No model release',
};

/** Shown on a tile: the warnings that need someone's attention. no-credit/no-license are the
 * normal state of an ungoverned library and would badge every tile, so they stay in the facets. */
export const TILE_WARNINGS: readonly Warning[] = ['expired', 'expires-soon', 'sidecar-unreadable'];

export const LICENSE_LABELS: Record<LicenseType, string> = {
  'all-rights-reserved': 'All rights reserved',
  'rights-managed': 'Rights managed',
  'royalty-free': 'Royalty free',
  cc0: 'CC0 (no rights reserved)',
  'cc-by': 'CC BY',
  'cc-by-sa': 'CC BY-SA',
  'cc-by-nd': 'CC BY-ND',
  'cc-by-nc': 'CC BY-NC',
  'cc-by-nc-sa': 'CC BY-NC-SA',
  'cc-by-nc-nd': 'CC BY-NC-ND',
  'public-domain': 'Public domain',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  web: 'Web',
  social: 'Social',
  email: 'Email',
  print: 'Print',
  partners: 'Partners',
};

export const RELEASE_LABELS: Record<ReleaseStatus, string> = {
  none: 'None',
  'not-applicable': 'Not applicable',
  unlimited: 'Unlimited',
  limited: 'Limited',
};

/** The actions a person may take from a state, in workflow order. */
export function actionsFrom(state: ApprovalState): ApprovalAction[] {
  return (Object.keys(APPROVAL_TRANSITIONS) as ApprovalAction[]).filter((a) =>
    APPROVAL_TRANSITIONS[a].from.includes(state),
  );
}

/** "2026-11-30T14:02:11.000Z" → "30 Nov 2026, 14:02" in this computer's time zone. */
export function formatWhen(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A field's value in a sentence: lists joined, empties as "nothing", vocabularies in words. */
export function formatValue(v: unknown, field?: string): string {
  if (v === null || v === undefined || v === '') return 'nothing';
  if (field === 'licenseType' && typeof v === 'string') return LICENSE_LABELS[v as LicenseType] ?? v;
  if ((field === 'modelRelease' || field === 'propertyRelease') && typeof v === 'string')
    return RELEASE_LABELS[v as ReleaseStatus] ?? v;
  if (field === 'channels' && Array.isArray(v))
    return v.length ? v.map((c) => CHANNEL_LABELS[c as Channel] ?? String(c)).join(', ') : 'nothing';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'nothing';
  if (typeof v === 'string') return `“${v.length > 80 ? `${v.slice(0, 79)}…` : v}”`;
  return String(v);
}

const FIELD_NAMES: Record<string, string> = {
  leftoverFile: 'leftover temporary file',
  credit: 'credit line',
  altText: 'alt text',
  extendedDescription: 'extended description',
  copyrightNotice: 'copyright notice',
  copyrightOwner: 'copyright owner',
  licenseType: 'licence type',
  usageTerms: 'usage terms',
  licenseStart: 'licence start',
  licenseEnd: 'licence end',
  modelRelease: 'model release',
  propertyRelease: 'property release',
};

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}
