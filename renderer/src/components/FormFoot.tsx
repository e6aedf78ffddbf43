/**
 * The end of a settings form or a dialog's form: what went wrong (if anything), then Cancel and
 * the submit button.
 */
export function FormFoot({
  error,
  submit,
  onCancel,
  busy = false,
  className,
}: {
  error: string | null;
  /** The submit button's words. */
  submit: string;
  onCancel: () => void;
  busy?: boolean;
  /** The row's layout where it is used (a dialog's foot, a settings form's actions). */
  className: string;
}) {
  return (
    <>
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
      <footer className={className}>
        <button type="button" className="btn ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={busy}>
          {submit}
        </button>
      </footer>
    </>
  );
}
