import type { Label } from '../../../shared/contract';
import { LABELS } from '../lib/labels';

const KEYS: Partial<Record<Label, string>> = { red: '6', yellow: '7', green: '8', blue: '9' };

/** The five colour labels; `value` undefined means the selection's labels differ. */
export function LabelPicker({
  value,
  onChange,
}: {
  value: Label | null | undefined;
  onChange(label: Label | null): void;
}) {
  return (
    <div className="label-picker" role="radiogroup" aria-label="Colour label">
      {LABELS.map((l) => (
        <button
          key={l}
          type="button"
          role="radio"
          aria-checked={value === l}
          aria-label={`${l} label`}
          title={`${l[0]!.toUpperCase()}${l.slice(1)}${KEYS[l] ? ` (${KEYS[l]})` : ''}`}
          className={`swatch label-${l}${value === l ? ' on' : ''}`}
          onClick={() => onChange(value === l ? null : l)}
        />
      ))}
      {value === undefined && <span className="mixed-note">mixed</span>}
    </div>
  );
}
