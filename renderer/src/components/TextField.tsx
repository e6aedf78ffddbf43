import { useEffect, useRef, useState } from 'react';

/**
 * A field that saves when left (blur, Enter; Ctrl+Enter in a multi-line one) and reverts on
 * Escape: saving on every keystroke would flood the undo history with one-letter edits.
 */
export function TextField({
  label,
  value,
  mixed,
  multiline,
  placeholder,
  onCommit,
}: {
  label: string;
  /** The common value; null when empty. */
  value: string | null;
  /** The selected items have different values. */
  mixed: boolean;
  multiline?: boolean;
  /** Shown while empty; "Add a <label>" by default. */
  placeholder?: string;
  onCommit(value: string | null): void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  // Escape blurs the field; the blur must not then save the draft being thrown away.
  const reverting = useRef(false);
  useEffect(() => setDraft(value ?? ''), [value, mixed]);

  const commit = () => {
    if (reverting.current) {
      reverting.current = false;
      return;
    }
    const next = draft.trim() === '' ? null : draft;
    if (mixed ? next !== null : next !== value) onCommit(next);
  };
  const props = {
    'aria-label': label,
    value: draft,
    placeholder: mixed ? 'Mixed: type to set on all' : (placeholder ?? `Add a ${label.toLowerCase()}`),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setDraft(e.target.value),
    onBlur: commit,
    onKeyDown: (e: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (e.key === 'Escape') {
        reverting.current = true;
        setDraft(value ?? '');
        e.currentTarget.blur();
      } else if (e.key === 'Enter' && (!multiline || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        e.currentTarget.blur();
      }
    },
  };
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
    </label>
  );
}
