import { formatCount } from '../lib/format';
import { taggingRuns, useTagging } from '../stores/tagging';

/** The status bar's word on tagging while it has pictures to do: how many left, how fast, or paused. */
export function TaggingIndicator() {
  const s = useTagging((t) => t.status);
  if (!s || !s.enabled || s.pending === 0) return null;
  const rate =
    s.perSecond >= 0.1 ? ` · ${s.perSecond < 10 ? s.perSecond.toFixed(1) : Math.round(s.perSecond)}/s` : '';
  return (
    <span
      className={`progress tagging-progress${s.paused ? ' paused' : ''}`}
      role="status"
      title="On-device tagging (Settings → Tagging)"
    >
      {taggingRuns(s) && <span className="spinner" aria-hidden="true" />}
      <span className="progress-part">
        {s.paused ? 'Tagging paused' : 'Tagging'} · {formatCount(s.pending)} left
        {!s.paused && rate && <span className="muted">{rate}</span>}
      </span>
    </span>
  );
}
