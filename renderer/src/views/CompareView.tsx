import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../components/Icon';
import { useUi, type CompareSpec } from '../stores/ui';

function Side({ side }: { side: CompareSpec['left'] }) {
  const [failed, setFailed] = useState(false);
  return (
    <figure className="compare-side">
      {side.url && !failed ? (
        <img src={side.url} alt={side.label} onError={() => setFailed(true)} />
      ) : (
        <p className="muted">No preview</p>
      )}
      <figcaption>{side.label}</figcaption>
    </figure>
  );
}

/** Two previews side by side, full window; Esc closes. */
export function CompareView({ spec }: { spec: CompareSpec }) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const close = () => useUi.getState().set({ compare: null });
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div
      ref={ref}
      className="compare"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <header className="loupe-bar">
        <button type="button" className="btn ghost" onClick={close} aria-label="Close compare">
          <Icon name="chevronLeft" size={16} /> Back
        </button>
        <div className="loupe-heading">
          <h2 id={titleId}>{spec.title}</h2>
        </div>
        <div />
      </header>
      <div className="compare-body">
        <Side side={spec.left} />
        <Side side={spec.right} />
      </div>
    </div>
  );
}
