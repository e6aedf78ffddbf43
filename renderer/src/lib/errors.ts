import type { ApiError, MissingRight } from '../../../shared/errors';
import type { ApprovalAction, ApprovalState } from '../../../shared/governance';

// The core's refusals in the UI's own words, chosen by code and reason (never by reading the
// core's sentence, which is written for a terminal: "asset 12", CLI commands to lift a rule).

const STATE_PHRASES: Record<ApprovalState, string> = {
  draft: 'it is still a draft',
  'in-review': 'it is already in review',
  approved: 'it is already approved',
  'changes-requested': 'it is waiting for changes',
  rejected: 'it was rejected',
  retired: 'it is retired',
};

const VERBS: Record<ApprovalAction, string> = {
  submit: 'submit',
  approve: 'approve',
  'request-changes': 'request changes',
  reject: 'reject',
  retire: 'retire',
};

const MISSING: Record<MissingRight, (licenseEnd?: string) => string> = {
  'no-credit': () => 'no credit line',
  'no-license': () => 'no licence type',
  expired: (end) => (end ? `the licence ended on ${end}` : 'the licence has ended'),
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why an approval action was refused, as a sentence of its own ("No credit line"). */
export function refusalReason(error: ApiError | undefined, action: ApprovalAction): string {
  if (!error) return 'Refused';
  const d = error.detail ?? {};
  switch (error.reason) {
    case 'wrong-state': {
      const phrase = d.state ? STATE_PHRASES[d.state] : `it cannot be done now`;
      const hint = action === 'approve' && d.state !== 'approved' ? '; submit it for review first' : '';
      return capital(phrase + hint);
    }
    case 'rights-required':
      return capital((d.missing ?? []).map((m) => MISSING[m](d.licenseEnd)).join(', '));
    case 'model-release-required':
      return `No model release, and people are in the picture (${(d.channels ?? []).join(', ') || 'a channel'} needs one)`;
    default:
      return capital(error.message);
  }
}

/** The same with the action it refused: "Cannot approve: no credit line (…)". */
export function refusalText(error: ApiError | undefined, action: ApprovalAction): string {
  const why = refusalReason(error, action);
  if (
    error?.reason !== 'wrong-state' &&
    error?.reason !== 'rights-required' &&
    error?.reason !== 'model-release-required'
  )
    return why;
  const rule = error.reason === 'rights-required' ? ' (rights are required for approval)' : '';
  return `Cannot ${VERBS[action]}: ${why.charAt(0).toLowerCase()}${why.slice(1)}${rule}`;
}
