import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Icon } from './Icon';

/**
 * A button that opens a small panel below it; closes on Escape, on a click elsewhere, or when the
 * panel's content calls close(). Focus returns to the button.
 */
export function Popover({
  label,
  active,
  children,
  className,
}: {
  label: ReactNode;
  active?: boolean;
  className?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div
      ref={root}
      className={`popover-root${className ? ` ${className}` : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          e.preventDefault();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`facet-btn${active ? ' active' : ''}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
      >
        {label}
        <Icon name="chevronDown" size={12} />
      </button>
      {open && (
        <div className="popover" role="dialog">
          {children(close)}
        </div>
      )}
    </div>
  );
}
