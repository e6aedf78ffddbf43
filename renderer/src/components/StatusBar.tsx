import { formatCount, plural } from '../lib/format';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useSelection } from '../stores/selection';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';
import { ProgressIndicator } from './ProgressIndicator';
import { PublishQueueIndicator } from './PublishQueueIndicator';
import { TaggingIndicator } from './TaggingIndicator';

export function StatusBar() {
  const count = useLibrary((s) => s.ids.length);
  // The grid and "All items" count each stack once; the folder tree counts every file. The
  // versions behind the current ones are said, so the numbers never differ unexplained.
  const hidden = useLibrary((s) =>
    s.query.trim() === '' ? (s.stats?.hiddenVersions ?? 0) : s.hiddenVersions,
  );
  const selected = useSelection((s) => s.selected.size);
  const problems = useJobs((s) => s.problems.length + s.warnings.length);
  const open = useUi((s) => s.problemsOpen);
  return (
    <footer className="statusbar">
      <ProgressIndicator />
      <PublishQueueIndicator />
      <TaggingIndicator />
      <span className="status-spacer" />
      <span className="status-count">
        {selected > 0
          ? `${formatCount(selected)} of ${plural(count, 'item')} selected`
          : plural(count, 'item')}
        {hidden > 0 && (
          <span className="muted">
            {' '}
            ({formatCount(hidden)} more {hidden === 1 ? 'version in a stack' : 'versions in stacks'})
          </span>
        )}
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
