import type { Flag } from '../../../shared/contract';
import { Icon } from './Icon';

export function FlagPicker({
  value,
  onChange,
}: {
  value: Flag | null | undefined;
  onChange(flag: Flag | null): void;
}) {
  return (
    <div className="segmented" role="group" aria-label="Flag">
      <button
        type="button"
        aria-pressed={value === 'pick'}
        title="Pick (P)"
        className={value === 'pick' ? 'on' : ''}
        onClick={() => onChange(value === 'pick' ? null : 'pick')}
      >
        <Icon name="flag" size={14} filled={value === 'pick'} /> Pick
      </button>
      <button
        type="button"
        aria-pressed={value === 'reject'}
        title="Reject (X)"
        className={value === 'reject' ? 'on reject' : ''}
        onClick={() => onChange(value === 'reject' ? null : 'reject')}
      >
        <Icon name="reject" size={14} /> Reject
      </button>
    </div>
  );
}
