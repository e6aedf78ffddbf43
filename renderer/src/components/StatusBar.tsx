import { useState } from 'react';
import { useJobs } from '../stores/jobs';

export function StatusBar() {
  const { progress, scanning, problems, warnings, loadProblems } = useJobs();
  const [open, setOpen] = useState(false);
  const total = progress ? progress.done + progress.pending : 0;
  const busy = Boolean(scanning) || (progress !== null && progress.pending > 0);
  return (
    <footer className="statusbar">
      <div className="progress" role="status" aria-live="polite">
        {scanning && <span>Scanning… {scanning.seen.toLocaleString()} files seen</span>}
        {progress && progress.pending > 0 && (
          <>
            <progress max={total} value={progress.done} />
            <span>
              Processing {progress.done.toLocaleString()} / {total.toLocaleString()} · {progress.perSecond}/s
            </span>
          </>
        )}
        {!busy && <span>Up to date</span>}
      </div>
      <button
        className={problems.length ? 'problems-btn has' : 'problems-btn'}
        onClick={() => {
          setOpen(!open);
          void loadProblems();
        }}
      >
        Problems ({problems.length}){warnings.length ? ` · ${warnings.length} warnings` : ''}
      </button>
      {open && (
        <div className="problems" role="region" aria-label="Problems">
          {warnings.map((w, i) => (
            <p key={`w${i}`} className="warning">
              {w}
            </p>
          ))}
          {problems.length === 0 && warnings.length === 0 && <p>No problems.</p>}
          {problems.map((p) => (
            <p key={p.assetId}>
              <span className="problem-path">{p.path}</span>
              <span className="problem-error">{p.error}</span>
            </p>
          ))}
        </div>
      )}
    </footer>
  );
}
