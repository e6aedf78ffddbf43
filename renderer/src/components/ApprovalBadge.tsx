import type { ApprovalState } from '../../../shared/governance';
import { STATE_LABELS } from '../lib/governance';

/** The approval state as a coloured pill; its text is the state, so it reads the same to everyone. */
export function ApprovalBadge({ state, count }: { state: ApprovalState; count?: number }) {
  return (
    <span className={`state-badge state-${state}`}>
      <span className="state-dot" aria-hidden="true" />
      {STATE_LABELS[state]}
      {count !== undefined && <span className="state-count">{count}</span>}
    </span>
  );
}
