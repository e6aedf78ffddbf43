import { useEffect } from 'react';
import { useJobs } from '../stores/jobs';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';

function sentence(message: string): string {
  const m = message.trim();
  return m ? m[0]!.toUpperCase() + m.slice(1) : 'Unknown problem';
}

function splitPath(p: string): [string, string] {
  const i = p.lastIndexOf('/');
  return i < 0 ? ['', p] : [p.slice(0, i), p.slice(i + 1)];
}

/** Files that could not be read, and warnings about folders, in words a user can act on. */
export function ProblemsPanel() {
  const problems = useJobs((s) => s.problems);
  const warnings = useJobs((s) => s.warnings);
  const close = () => useUi.getState().set({ problemsOpen: false });

  useEffect(() => {
    void useJobs
      .getState()
      .loadProblems()
      .catch(() => undefined);
  }, []);

  return (
    <section className="problems-panel" role="region" aria-label="Problems">
      <header className="panel-head">
        <h2>Problems</h2>
        {problems.length > 0 && (
          <button
            type="button"
            className="btn small"
            onClick={() => {
              useLibrary.getState().setQuery('has:error');
              close();
            }}
          >
            Show in grid
          </button>
        )}
        <button type="button" className="icon-btn" aria-label="Close problems" onClick={close}>
          <Icon name="close" size={14} />
        </button>
      </header>
      <div className="problems-body">
        {problems.length === 0 && warnings.length === 0 && (
          <p className="problems-empty">
            <Icon name="check" size={16} /> Every file was read without problems.
          </p>
        )}
        {warnings.length > 0 && (
          <ul className="problem-list">
            {warnings.map((w, i) => (
              <li key={`w${i}`} className="problem warning">
                <Icon name="alert" size={14} />
                <div>
                  <p className="problem-message">{sentence(w.message)}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
        {problems.length > 0 && (
          <ul className="problem-list">
            {problems.map((p) => {
              const [dir, name] = splitPath(p.path);
              return (
                <li key={p.assetId} className="problem">
                  <Icon name="file" size={14} />
                  <div>
                    <p className="problem-file">
                      <strong>{name}</strong> <span className="muted">{dir}</span>
                    </p>
                    <p className="problem-message">{sentence(p.error)}</p>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
