import { formatCount } from '../lib/format';
import { busy, useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';

/** Scans and file processing as they run: counts, a bar, and the current rate. */
export function ProgressIndicator() {
  const scans = useJobs((s) => s.scans);
  const jobs = useJobs((s) => s.jobs);
  const base = useJobs((s) => s.batchBase);
  const rate = useJobs((s) => s.rate);
  const roots = useLibrary((s) => s.roots);
  const scanning = Object.entries(scans);
  const working = busy(jobs);

  if (scanning.length === 0 && !working)
    return (
      <div className="progress idle">
        <span className="status-dot online" aria-hidden="true" />
        <span>{roots.length ? 'Up to date' : 'Ready'}</span>
      </div>
    );

  const done = jobs ? Math.max(0, jobs.done - base) : 0;
  const total = jobs ? done + jobs.pending + jobs.running : 0;
  return (
    <div className="progress">
      <span className="spinner" aria-hidden="true" />
      {scanning.map(([id, s]) => (
        <span key={id} className="progress-part">
          Scanning {roots.find((r) => r.id === Number(id))?.name ?? 'folder'} · {formatCount(s.seen)} files
        </span>
      ))}
      {working && jobs && (
        <>
          <progress
            max={Math.max(1, total)}
            value={done}
            aria-label="Processing files"
            aria-valuetext={`${formatCount(done)} of ${formatCount(total)} files`}
          />
          <span className="progress-part">
            Processing {formatCount(done)} / {formatCount(total)}
            {rate >= 0.5 && (
              <span className="muted">
                {' '}
                · {rate < 10 ? rate.toFixed(1) : formatCount(Math.round(rate))} files/s
              </span>
            )}
            {jobs.failed > 0 && <span className="text-warning"> · {formatCount(jobs.failed)} failed</span>}
          </span>
        </>
      )}
    </div>
  );
}
