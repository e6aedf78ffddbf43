import { useEffect } from 'react';
import { undo } from '../app/actions';
import { useUi } from '../stores/ui';

const SHOW_MS = 4000;

/** One message at a time; an edit's message offers Undo, the way mail apps do. */
export function Toast() {
  const toast = useUi((s) => s.toast);
  useEffect(() => {
    if (!toast || toast.sticky) return;
    const t = setTimeout(
      () => useUi.getState().set({ toast: null }),
      toast.tone === 'error' ? SHOW_MS * 2 : SHOW_MS,
    );
    return () => clearTimeout(t);
  }, [toast]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div key={toast.id} className={`toast ${toast.tone}`}>
          <span>{toast.message}</span>
          {toast.undoable && (
            <button
              type="button"
              className="btn link"
              onClick={() => {
                useUi.getState().set({ toast: null });
                void undo();
              }}
            >
              Undo
            </button>
          )}
        </div>
      )}
    </div>
  );
}
