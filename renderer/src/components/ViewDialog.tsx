import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { Icon } from './Icon';

/**
 * The frame of a view that takes the whole window over the library (compare, duplicates, people,
 * usage): a modal dialog named by its heading, a Back button, Esc to leave, focus taken on opening
 * and given back on closing.
 */
export function ViewDialog({
  className,
  title,
  closeTitle,
  onClose,
  onEscape = onClose,
  summary,
  tools,
  dialogRef,
  children,
}: {
  className: string;
  title: ReactNode;
  /** The Back button's tooltip, e.g. "Close people (Esc)". */
  closeTitle: string;
  onClose(): void;
  /** What Esc does when that is not closing (leaving a person's faces first, say). */
  onEscape?: () => void;
  /** A live line beside the heading. */
  summary?: ReactNode;
  /** Controls at the right of the bar. */
  tools?: ReactNode;
  /** For views that move focus back into the dialog themselves. */
  dialogRef?: RefObject<HTMLDivElement | null>;
  children?: ReactNode;
}) {
  const titleId = useId();
  const own = useRef<HTMLDivElement>(null);
  const ref = dialogRef ?? own;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => previous?.focus();
    // Once per opening: the ref object never changes.
  }, []);
  return (
    <div
      ref={ref}
      className={className}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onEscape();
        }
      }}
    >
      <header className="loupe-bar">
        <button type="button" className="btn ghost" onClick={onClose} title={closeTitle}>
          <Icon name="chevronLeft" size={16} /> Back
        </button>
        <div className="loupe-heading">
          <h2 id={titleId}>{title}</h2>
          {summary !== undefined && (
            <span className="muted compare-summary" role="status">
              {summary}
            </span>
          )}
        </div>
        {tools}
      </header>
      {children}
    </div>
  );
}
