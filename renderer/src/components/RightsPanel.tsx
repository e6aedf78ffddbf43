import { useAllowed } from '../stores/session';
import { useEffect, useId, useState } from 'react';
import type { FieldPatch } from '../../../shared/contract';
import {
  CHANNELS,
  LICENSE_TYPES,
  RELEASE_STATUSES,
  type Channel,
  type LicenseType,
  type ReleaseStatus,
  type Rights,
} from '../../../shared/governance';
import type { Asset } from '../../../shared/model';
import { errorMessage } from '../api/client';
import { setFields } from '../app/governance-actions';
import { plural } from '../lib/format';
import { CHANNEL_LABELS, LICENSE_LABELS, RELEASE_LABELS, fieldName } from '../lib/governance';
import { useTemplates } from '../stores/templates';
import { useUi } from '../stores/ui';
import { Group } from './Group';
import { TextField } from './TextField';

/** The governed values a person edits here: the rights plus the accessibility text. */
type RightsValues = Rights & { altText: string | null; extendedDescription: string | null };
type Key = keyof RightsValues;

function valuesOf(a: Asset): RightsValues {
  return { ...a.rights, altText: a.altText, extendedDescription: a.extendedDescription };
}

const key = (v: unknown) => JSON.stringify(v ?? null);

/** Each field's common value, or undefined where the assets differ ("mixed"). */
export function commonRights(assets: Asset[]): Partial<Record<Key, unknown>> {
  const out: Partial<Record<Key, unknown>> = {};
  if (assets.length === 0) return out;
  const first = valuesOf(assets[0]!);
  for (const k of Object.keys(first) as Key[]) {
    const v = first[k];
    if (assets.every((a) => key(valuesOf(a)[k]) === key(v))) out[k] = v;
  }
  return out;
}

function SelectField<T extends string>({
  label,
  options,
  labels,
  value,
  mixed,
  onChange,
}: {
  label: string;
  options: readonly T[];
  labels: Record<T, string>;
  value: T | null;
  mixed: boolean;
  onChange(v: T | null): void;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select
        aria-label={label}
        value={mixed ? '__mixed' : (value ?? '')}
        onChange={(e) => {
          const v = e.target.value;
          if (v !== '__mixed') onChange(v === '' ? null : (v as T));
        }}
      >
        {mixed && (
          <option value="__mixed" disabled>
            Mixed
          </option>
        )}
        <option value="">Not set</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A day, saved when left or on Enter (typing a date passes through dates nobody means). */
function DateField({
  label,
  value,
  mixed,
  onCommit,
}: {
  label: string;
  value: string | null;
  mixed: boolean;
  onCommit(v: string | null): void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value, mixed]);
  const commit = () => {
    const next = draft === '' ? null : draft;
    if (mixed ? next !== null : next !== value) onCommit(next);
  };
  return (
    <label className="field">
      <span className="field-label">
        {label}
        {mixed && <span className="mixed-note"> · mixed</span>}
      </span>
      <input
        type="date"
        aria-label={label}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            e.currentTarget.blur();
          }
        }}
      />
    </label>
  );
}

/** Channel toggles: on for all, off for all, or mixed (some of the selection). */
function Channels({ assets, onPatch }: { assets: Asset[]; onPatch(p: FieldPatch, label: string): void }) {
  const id = useId();
  return (
    <div className="field">
      <span className="field-label" id={id}>
        Channels
      </span>
      <div className="toggle-chips" role="group" aria-labelledby={id}>
        {CHANNELS.map((c: Channel) => {
          const n = assets.filter((a) => a.rights.channels.includes(c)).length;
          const state = n === 0 ? 'false' : n === assets.length ? 'true' : 'mixed';
          return (
            <button
              key={c}
              type="button"
              className={`toggle-chip ${state === 'true' ? 'on' : state === 'mixed' ? 'partial' : ''}`}
              aria-pressed={state}
              onClick={() =>
                state === 'true'
                  ? onPatch({ channelsRemove: [c] }, `Channel ${CHANNEL_LABELS[c]} removed`)
                  : onPatch({ channelsAdd: [c] }, `Channel ${CHANNEL_LABELS[c]} allowed`)
              }
            >
              {CHANNEL_LABELS[c]}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** Only what is set and shared, so a template made from a mixed selection carries no guesses. */
function templateFields(common: Partial<Record<Key, unknown>>): FieldPatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(common)) {
    if (k === 'altText' || k === 'extendedDescription') continue;
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as FieldPatch;
}

function Templates({ ids, common }: { ids: number[]; common: Partial<Record<Key, unknown>> }) {
  const templates = useTemplates((s) => s.templates);
  const [chosen, setChosen] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const notify = useUi.getState().notify;
  const nameId = useId();

  useEffect(() => {
    if (!useTemplates.getState().loaded)
      void useTemplates
        .getState()
        .load()
        .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (chosen && !templates.some((t) => t.name === chosen)) setChosen('');
  }, [templates, chosen]);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const fields = templateFields(common);

  return (
    <div className="templates">
      <div className="template-row">
        <select aria-label="Rights template" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{templates.length ? 'Choose a template…' : 'No templates yet'}</option>
          {templates.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          disabled={!chosen}
          onClick={() =>
            void run(async () => {
              const n = await useTemplates.getState().apply(chosen, ids);
              notify(`Template “${chosen}” applied · ${plural(n, 'item')} changed`);
            })
          }
        >
          Apply
        </button>
      </div>
      {confirmDelete && chosen ? (
        <div className="confirm-row" role="group" aria-label="Confirm delete">
          <span>Delete “{chosen}”?</span>
          <button
            type="button"
            className="btn small danger"
            onClick={() =>
              void run(async () => {
                await useTemplates.getState().remove(chosen);
                notify(`Template “${chosen}” deleted`);
                setConfirmDelete(false);
              })
            }
          >
            Delete
          </button>
          <button type="button" className="btn small" onClick={() => setConfirmDelete(false)}>
            Keep
          </button>
        </div>
      ) : naming ? (
        <form
          className="template-row"
          onSubmit={(e) => {
            e.preventDefault();
            const n = name.trim();
            if (!n) return;
            void run(async () => {
              await useTemplates.getState().save(n, fields);
              notify(`Template “${n}” saved`);
              setNaming(false);
              setName('');
              setChosen(n);
            });
          }}
        >
          <label htmlFor={nameId} className="visually-hidden">
            Template name
          </label>
          <input
            id={nameId}
            type="text"
            placeholder="Template name"
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
          />
          <button type="submit" className="btn small primary" disabled={!name.trim()}>
            Save
          </button>
          <button type="button" className="btn small ghost" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="template-actions">
          <button
            type="button"
            className="btn link small"
            disabled={Object.keys(fields).length === 0}
            title={
              Object.keys(fields).length === 0
                ? 'Set some rights first'
                : `Saves ${Object.keys(fields).map(fieldName).join(', ')}`
            }
            onClick={() => {
              setNaming(true);
              setName(chosen);
            }}
          >
            Save as template…
          </button>
          {chosen && (
            <button
              type="button"
              className="btn link small danger-link"
              onClick={() => setConfirmDelete(true)}
            >
              Delete template
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Rights and accessibility text for one asset or many: a field the selection shares shows its
 * value, one it does not shows as mixed, and editing sets it on every selected asset.
 */
export function RightsPanel({ ids, assets }: { ids: number[]; assets: Asset[] }) {
  const common = commonRights(assets);
  const complete = assets.length === ids.length;
  const mixed = (k: Key) => !complete || !(k in common);
  const str = (k: Key) => (mixed(k) ? null : ((common[k] as string | null) ?? null));
  const patch = (p: FieldPatch, label: string) => void setFields(ids, p, label);
  const text = (k: Key, label: string, multiline = false, placeholder?: string) => (
    <TextField
      label={label}
      multiline={multiline}
      placeholder={placeholder}
      value={str(k)}
      mixed={mixed(k)}
      onCommit={(v) => patch({ [k]: v } as FieldPatch, v ? `${label} set` : `${label} cleared`)}
    />
  );
  const mayEdit = useAllowed('assets.setFields');
  const territories = mixed('territories') ? null : ((common.territories as string[] | undefined) ?? []);

  return (
    // A viewer reads the rights; editing them is a contributor's (the server refuses it anyway).
    <fieldset
      className="rights-panel"
      disabled={!mayEdit}
      aria-label={mayEdit ? undefined : 'Rights (read only)'}
    >
      <Group title="Templates">
        <Templates ids={ids} common={complete ? common : {}} />
      </Group>
      <Group title="Credit & copyright">
        {text('creator', 'Creator')}
        {text('credit', 'Credit line')}
        {text('copyrightNotice', 'Copyright notice', false, 'e.g. © 2026 North Studio')}
        {text('copyrightOwner', 'Copyright owner')}
        {text('licensor', 'Licensor')}
      </Group>
      <Group title="Licence">
        <SelectField<LicenseType>
          label="Licence type"
          options={LICENSE_TYPES}
          labels={LICENSE_LABELS}
          value={(common.licenseType as LicenseType | null | undefined) ?? null}
          mixed={mixed('licenseType')}
          onChange={(v) => patch({ licenseType: v }, v ? `Licence ${LICENSE_LABELS[v]}` : 'Licence cleared')}
        />
        <div className="field-pair">
          <DateField
            label="Licence start"
            value={str('licenseStart')}
            mixed={mixed('licenseStart')}
            onCommit={(v) => patch({ licenseStart: v }, v ? `Licence starts ${v}` : 'Licence start cleared')}
          />
          <DateField
            label="Licence end"
            value={str('licenseEnd')}
            mixed={mixed('licenseEnd')}
            onCommit={(v) => patch({ licenseEnd: v }, v ? `Licence ends ${v}` : 'Licence end cleared')}
          />
        </div>
        {text('usageTerms', 'Usage terms', true, 'How it may be used')}
        <Channels assets={complete ? assets : []} onPatch={patch} />
        <TextField
          label="Territories"
          placeholder="Countries or regions, comma-separated"
          value={territories === null ? null : territories.join(', ') || null}
          mixed={territories === null}
          onCommit={(v) =>
            patch(
              {
                territories: (v ?? '')
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
              },
              v ? 'Territories set' : 'Territories cleared',
            )
          }
        />
        {text('restrictions', 'Restrictions', true, 'Anything it must not be used for')}
      </Group>
      <Group title="Releases">
        {assets.some((a) => a.warnings.includes('no-model-release')) && (
          <p className="rights-warning warning-no-model-release" role="status">
            {assets.length > 1
              ? 'People are in some of these pictures, and no model release is recorded for them.'
              : 'People are in this picture, and no model release is recorded.'}
          </p>
        )}
        <div className="field-pair">
          <SelectField<ReleaseStatus>
            label="Model release"
            options={RELEASE_STATUSES}
            labels={RELEASE_LABELS}
            value={(common.modelRelease as ReleaseStatus | null | undefined) ?? null}
            mixed={mixed('modelRelease')}
            onChange={(v) =>
              patch({ modelRelease: v }, v ? `Model release ${RELEASE_LABELS[v]}` : 'Model release cleared')
            }
          />
          <SelectField<ReleaseStatus>
            label="Property release"
            options={RELEASE_STATUSES}
            labels={RELEASE_LABELS}
            value={(common.propertyRelease as ReleaseStatus | null | undefined) ?? null}
            mixed={mixed('propertyRelease')}
            onChange={(v) =>
              patch(
                { propertyRelease: v },
                v ? `Property release ${RELEASE_LABELS[v]}` : 'Property release cleared',
              )
            }
          />
        </div>
      </Group>
      <Group title="Accessibility">
        {text('altText', 'Alt text', true, 'A short description for screen readers')}
        {text('extendedDescription', 'Extended description', true, 'Detail beyond the alt text')}
      </Group>
    </fieldset>
  );
}
