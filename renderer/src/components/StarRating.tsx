import { Icon } from './Icon';

/**
 * Five stars as a radio group. `value` undefined means the selection's ratings differ. Clicking
 * the current rating clears it, as in Lightroom.
 */
export function StarRating({
  value,
  onChange,
  size = 16,
}: {
  value: number | undefined;
  onChange(rating: number): void;
  size?: number;
}) {
  return (
    <div className="stars" role="radiogroup" aria-label="Rating">
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} star${n === 1 ? '' : 's'}`}
          title={`${n} star${n === 1 ? '' : 's'} (${n})`}
          className={`star${value !== undefined && n <= value ? ' on' : ''}`}
          onClick={() => onChange(value === n ? 0 : n)}
        >
          <Icon name="star" size={size} filled={value !== undefined && n <= value} />
        </button>
      ))}
      {value === undefined && <span className="mixed-note">mixed</span>}
    </div>
  );
}

/** Read-only stars for tiles: text, so it costs nothing to draw thousands. */
export function Stars({ rating }: { rating: number | null }) {
  if (!rating) return null;
  return (
    <span className="tile-stars" aria-label={`${rating} stars`}>
      {'★'.repeat(rating)}
    </span>
  );
}
