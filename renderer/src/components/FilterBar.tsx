import { useEffect, useState } from 'react';
import { COLOR_FAMILIES, FAMILY_SWATCH, familyOfName, parseHex, toHex } from '../../../shared/colors';
import type { OpResult } from '../../../shared/contract';
import { APPROVAL_STATES, WARNINGS, type ApprovalState, type Warning } from '../../../shared/governance';
import { call } from '../api/client';
import { formatCount } from '../lib/format';
import { STATE_LABELS, WARNING_LABELS } from '../lib/governance';
import { LABELS } from '../lib/labels';
import { facetValue, tokenizeQuery, withFacet, withFacets } from '../lib/query';
import { useLibrary } from '../stores/library';
import { Icon } from './Icon';
import { Popover } from './Popover';

interface Option {
  value: string | null;
  label: string;
}

const TYPES: Option[] = [
  { value: null, label: 'All types' },
  { value: 'image', label: 'Images' },
  { value: 'raw', label: 'RAW' },
  { value: 'video', label: 'Video' },
  { value: 'audio', label: 'Audio' },
  { value: 'design', label: 'Design' },
  { value: '3d', label: '3D' },
  { value: 'other', label: 'Other' },
];
const RATINGS: Option[] = [
  { value: null, label: 'Any rating' },
  ...[1, 2, 3, 4, 5].map((n) => ({ value: `>=${n}`, label: `${'★'.repeat(n)}${n < 5 ? ' or more' : ''}` })),
];
const LABEL_OPTIONS: Option[] = [
  { value: null, label: 'Any label' },
  ...LABELS.map((l) => ({ value: l, label: l[0]!.toUpperCase() + l.slice(1) })),
  { value: 'none', label: 'No label' },
];
const FLAGS: Option[] = [
  { value: null, label: 'Any flag' },
  { value: 'pick', label: 'Picks' },
  { value: 'reject', label: 'Rejects' },
];

function OptionList({
  options,
  value,
  onPick,
}: {
  options: Option[];
  value: string | null;
  onPick(v: string | null): void;
}) {
  return (
    <ul className="menu" role="listbox">
      {options.map((o) => (
        <li key={o.label} role="option" aria-selected={o.value === value}>
          <button
            type="button"
            className={o.value === value ? 'current' : ''}
            onClick={() => onPick(o.value)}
          >
            {o.value && (LABELS as readonly string[]).includes(o.value) && (
              <span className={`label-dot label-${o.value}`} />
            )}
            <span>{o.label}</span>
            {o.value === value && <Icon name="check" size={13} />}
          </button>
        </li>
      ))}
    </ul>
  );
}

interface Suggestion {
  value: string;
  count: number;
}

type Facets = OpResult<'facets'>;

/** The catalogue's cameras and years with counts, asked for when a facet opens (they change as scans run). */
function useFacets(): Facets | null {
  const [facets, setFacets] = useState<Facets | null>(null);
  useEffect(() => {
    let live = true;
    call('facets', {}).then(
      (f) => live && setFacets(f),
      () =>
        live && setFacets({ cameras: [], years: [], approvals: [], warnings: [], colors: [], people: [] }),
    );
    return () => {
      live = false;
    };
  }, []);
  return facets;
}

function TextFacet({
  value,
  placeholder,
  hint,
  suggestions,
  onSet,
}: {
  value: string | null;
  placeholder: string;
  hint: string;
  suggestions: Suggestion[] | null;
  onSet(v: string | null): void;
}) {
  const [text, setText] = useState(value ?? '');
  return (
    <form
      className="facet-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSet(text.trim() || null);
      }}
    >
      <input
        type="text"
        aria-label={placeholder}
        placeholder={placeholder}
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
      />
      <p className="facet-hint">{hint}</p>
      {suggestions === null ? (
        <p className="facet-hint">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      ) : (
        suggestions.length > 0 && (
          <ul className="menu facet-values" role="listbox" aria-label={`${placeholder} values`}>
            {suggestions.map((s) => (
              <li key={s.value} role="option" aria-selected={s.value === value}>
                <button
                  type="button"
                  className={s.value === value ? 'current' : ''}
                  onClick={() => onSet(s.value)}
                >
                  <span>{s.value}</span>
                  <span className="count">{formatCount(s.count)}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      )}
      <div className="facet-actions">
        {value && (
          <button type="button" className="btn small" onClick={() => onSet(null)}>
            Clear
          </button>
        )}
        <button type="submit" className="btn small primary">
          Apply
        </button>
      </div>
    </form>
  );
}

function CameraFacet({ value, onSet }: { value: string | null; onSet(v: string | null): void }) {
  const facets = useFacets();
  return (
    <TextFacet
      value={value}
      placeholder="Camera"
      hint="Any part of a maker or model name, e.g. EOS 40D"
      suggestions={facets && facets.cameras.map((c) => ({ value: c.name, count: c.count }))}
      onSet={onSet}
    />
  );
}

function DateFacet({ value, onSet }: { value: string | null; onSet(v: string | null): void }) {
  const facets = useFacets();
  return (
    <TextFacet
      value={value}
      placeholder="Date"
      hint="A year (2008), a month (2008-05) or a range (2008..2010)"
      suggestions={facets && facets.years.map((y) => ({ value: String(y.year), count: y.count }))}
      onSet={onSet}
    />
  );
}

/** Approval states and warnings, with how many assets each finds (asked for when the menu opens). */
function CountedFacet({
  name,
  anyLabel,
  options,
  counts,
  value,
  onPick,
}: {
  name: string;
  anyLabel: string;
  options: { value: string; label: string }[];
  counts: (f: Facets) => Map<string, number>;
  value: string | null;
  onPick(v: string | null): void;
}) {
  const facets = useFacets();
  const byValue = facets ? counts(facets) : null;
  return (
    <ul className="menu" role="listbox" aria-label={`${name} values`}>
      <li role="option" aria-selected={value === null}>
        <button type="button" className={value === null ? 'current' : ''} onClick={() => onPick(null)}>
          <span>{anyLabel}</span>
          {value === null && <Icon name="check" size={13} />}
        </button>
      </li>
      {options.map((o) => (
        <li key={o.value} role="option" aria-selected={o.value === value}>
          <button
            type="button"
            className={o.value === value ? 'current' : ''}
            onClick={() => onPick(o.value)}
          >
            <i className={`facet-swatch ${name.toLowerCase()}-${o.value}`} aria-hidden="true" />
            <span>{o.label}</span>
            <span className="count">{byValue === null ? '…' : formatCount(byValue.get(o.value) ?? 0)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The swatch a color: value shows: its family's, or the hex value itself. */
function colorSwatch(value: string): string {
  const v = value.toLowerCase();
  if ((COLOR_FAMILIES as readonly string[]).includes(v))
    return FAMILY_SWATCH[v as keyof typeof FAMILY_SWATCH];
  const family = familyOfName(v);
  if (family) return FAMILY_SWATCH[family];
  const rgb = parseHex(v);
  return rgb ? toHex(...rgb) : 'transparent';
}

/** Dominant colours: a swatch per family with how many pictures it finds, and any hex value. */
function ColorFacet({ value, onSet }: { value: string | null; onSet(v: string | null): void }) {
  const facets = useFacets();
  const counts = new Map(facets?.colors.map((c) => [c.family, c.count]) ?? []);
  const hexValue = value && parseHex(value) ? toHex(...parseHex(value)!) : '#3366cc';
  const [hex, setHex] = useState(hexValue);
  return (
    <div className="color-facet">
      <ul className="color-swatches" role="listbox" aria-label="Colour values">
        {COLOR_FAMILIES.map((f) => (
          <li key={f} role="option" aria-selected={value === f}>
            <button
              type="button"
              className={value === f ? 'current' : ''}
              aria-label={`${f}, ${counts.get(f) ?? 0}`}
              title={f}
              onClick={() => onSet(value === f ? null : f)}
            >
              <i className="color-swatch" style={{ background: FAMILY_SWATCH[f] }} aria-hidden="true" />
              <span className="count">{facets === null ? '…' : formatCount(counts.get(f) ?? 0)}</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        className="facet-form color-hex"
        onSubmit={(e) => {
          e.preventDefault();
          if (parseHex(hex)) onSet(toHex(...parseHex(hex)!));
        }}
      >
        <input
          type="color"
          aria-label="Pick a colour"
          value={toHex(...(parseHex(hex) ?? [0, 0, 0]))}
          onChange={(e) => setHex(e.target.value)}
        />
        <input
          type="text"
          aria-label="Colour as hex"
          value={hex}
          onChange={(e) => setHex(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" className="btn small primary" disabled={!parseHex(hex)}>
          Find close
        </button>
      </form>
      {value && (
        <div className="facet-actions">
          <button type="button" className="btn small" onClick={() => onSet(null)}>
            Clear
          </button>
        </div>
      )}
    </div>
  );
}

const APPROVAL_OPTIONS = APPROVAL_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }));
const WARNING_OPTIONS = WARNINGS.map((w) => ({ value: w, label: WARNING_LABELS[w] }));

const FACET_FIELDS = [
  'type',
  'camera',
  'date',
  'rating',
  'label',
  'color',
  'flag',
  'approval',
  'warning',
  'folder',
  'root',
  'stack',
  'versions',
];

/** Facets compose into the query text: each owns one `field:` filter and leaves the rest alone. */
export function FilterBar() {
  const query = useLibrary((s) => s.query);
  const setQuery = useLibrary.getState().setQuery;
  const set = (field: string, close: () => void) => (v: string | null) => {
    setQuery(withFacet(query, field, v));
    close();
  };
  const value = (field: string) => facetValue(query, field);
  const labelOf = (options: Option[], v: string | null) =>
    options.find((o) => o.value === v)?.label ?? v ?? '';
  const type = value('type');
  const camera = value('camera');
  const date = value('date');
  const rating = value('rating');
  const label = value('label');
  const flag = value('flag');
  const color = value('color');
  const approval = value('approval');
  const warning = value('warning');
  const stack = value('stack');
  const versions = value('versions');
  const folder = value('folder');
  const root = value('root');
  const anyFacet = tokenizeQuery(query).some((t) => t.field && FACET_FIELDS.includes(t.field));

  return (
    <div className="filterbar" role="toolbar" aria-label="Filters">
      <Popover label={type ? labelOf(TYPES, type) : 'Type'} active={type !== null}>
        {(close) => <OptionList options={TYPES} value={type} onPick={set('type', close)} />}
      </Popover>
      <Popover label={camera ? camera : 'Camera'} active={camera !== null}>
        {(close) => <CameraFacet value={camera} onSet={set('camera', close)} />}
      </Popover>
      <Popover label={date ? date.replace('..', ' – ') : 'Date'} active={date !== null}>
        {(close) => <DateFacet value={date} onSet={set('date', close)} />}
      </Popover>
      <Popover label={rating ? labelOf(RATINGS, rating) : 'Rating'} active={rating !== null}>
        {(close) => <OptionList options={RATINGS} value={rating} onPick={set('rating', close)} />}
      </Popover>
      <Popover
        label={
          label ? (
            <>
              {label !== 'none' && <span className={`label-dot label-${label}`} />}
              {labelOf(LABEL_OPTIONS, label)}
            </>
          ) : (
            'Label'
          )
        }
        active={label !== null}
      >
        {(close) => <OptionList options={LABEL_OPTIONS} value={label} onPick={set('label', close)} />}
      </Popover>
      <Popover
        label={
          color ? (
            <>
              <i
                className="color-swatch small"
                style={{ background: colorSwatch(color) }}
                aria-hidden="true"
              />
              {color}
            </>
          ) : (
            'Colour'
          )
        }
        active={color !== null}
      >
        {(close) => <ColorFacet value={color} onSet={set('color', close)} />}
      </Popover>
      <Popover label={flag ? labelOf(FLAGS, flag) : 'Flag'} active={flag !== null}>
        {(close) => <OptionList options={FLAGS} value={flag} onPick={set('flag', close)} />}
      </Popover>
      <Popover
        label={approval ? (STATE_LABELS[approval as ApprovalState] ?? approval) : 'Approval'}
        active={approval !== null}
      >
        {(close) => (
          <CountedFacet
            name="Approval"
            anyLabel="Any approval"
            options={APPROVAL_OPTIONS}
            counts={(f) => new Map(f.approvals.map((a) => [a.state, a.count]))}
            value={approval}
            onPick={set('approval', close)}
          />
        )}
      </Popover>
      <Popover
        label={warning ? (WARNING_LABELS[warning as Warning] ?? warning) : 'Warnings'}
        active={warning !== null}
      >
        {(close) => (
          <CountedFacet
            name="Warning"
            anyLabel="With or without"
            options={WARNING_OPTIONS}
            counts={(f) => new Map(f.warnings.map((w) => [w.warning, w.count]))}
            value={warning}
            onPick={set('warning', close)}
          />
        )}
      </Popover>
      {(folder || root) && (
        <span className="facet-chip">
          <Icon name="folder" size={13} />
          <span className="facet-chip-text" title={folder ?? root ?? ''}>
            {folder ? folder.split('/').pop() : root}
          </span>
          <button
            type="button"
            aria-label="Remove folder filter"
            onClick={() => setQuery(withFacets(query, { folder: null, root: null }))}
          >
            <Icon name="close" size={11} />
          </button>
        </span>
      )}
      {stack && (
        <span className="facet-chip">
          <Icon name="layers" size={13} />
          <span className="facet-chip-text">Stack {stack}</span>
          <button
            type="button"
            aria-label="Close the stack"
            onClick={() => setQuery(withFacet(query, 'stack', null))}
          >
            <Icon name="close" size={11} />
          </button>
        </span>
      )}
      {versions === 'all' && (
        <span className="facet-chip">
          <Icon name="layers" size={13} />
          <span className="facet-chip-text">Every version</span>
          <button
            type="button"
            aria-label="Show current versions only"
            onClick={() => setQuery(withFacet(query, 'versions', null))}
          >
            <Icon name="close" size={11} />
          </button>
        </span>
      )}
      {anyFacet && (
        <button
          type="button"
          className="btn link small"
          onClick={() => setQuery(FACET_FIELDS.reduce((q, f) => withFacet(q, f, null), query))}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
