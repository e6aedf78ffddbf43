import { formatCount, plural } from '../lib/format';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useSelection } from '../stores/selection';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';
import { ProgressIndicator } from './ProgressIndicator';

export function StatusBar() {
  const count = useLibrary((s) => s.ids.length);
  const selected = useSelection((s) => s.selected.size);
  const problems = useJobs((s) => s.problems.length + s.warnings.length);
  const open = useUi((s) => s.problemsOpen);
  return (
    <footer className="statusbar">
      <ProgressIndicator />
      <span className="status-spacer" />
      <span className="status-count">
        {selected > 0
          ? `${formatCount(selected)} of ${plural(count, 'item')} selected`
          : plural(count, 'item')}
      </span>
      <button
        type="button"
        className={`status-btn${problems ? ' has-problems' : ''}`}
        aria-expanded={open}
        onClick={() => useUi.getState().set({ problemsOpen: !open })}
      >
        <Icon name="alert" size={13} />
        {problems ? plural(problems, 'problem') : 'No problems'}
      </button>
    </footer>
  );
}
