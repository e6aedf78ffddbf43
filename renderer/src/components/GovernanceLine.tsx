import type { Asset } from '../../../shared/model';
import { WARNING_LABELS } from '../lib/governance';
import { ApprovalBadge } from './ApprovalBadge';
import { Icon } from './Icon';

/** An asset's approval, warnings and stack, in one line under its name. */
export function GovernanceLine({ asset }: { asset: Asset }) {
  return (
    <div className="governance-line">
      <ApprovalBadge state={asset.approval.state} />
      {asset.warnings.map((w) => (
        <span key={w} className={`warning-chip warning-${w}`}>
          <Icon name="alert" size={11} />
          {WARNING_LABELS[w]}
        </span>
      ))}
      {asset.stack && (
        <span className="stack-chip">
          <Icon name="layers" size={11} />
          {asset.stack.current ? 'Current' : `Version ${asset.stack.position}`} of {asset.stack.size}
        </span>
      )}
    </div>
  );
}
