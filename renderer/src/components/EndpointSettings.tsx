import { useEffect, useState } from 'react';
import type { Channel } from '../../../shared/governance';
import {
  DEFAULT_REQUIRED,
  defaultFieldMap,
  ENDPOINT_TYPES,
  REQUIRABLE_FIELDS,
  type Endpoint,
  type EndpointType,
  type RequirableField,
} from '../../../shared/publishing';
import { call, errorMessage } from '../api/client';
import { usePublishing } from '../stores/publishing';
import { ChannelSelect } from './ChannelSelect';
import { FormFoot } from './FormFoot';

const FIELD_WORDS: Record<RequirableField, string> = {
  altText: 'Alt text',
  credit: 'Credit line',
  title: 'Title',
  description: 'Description',
  creator: 'Creator',
};

interface Draft {
  name: string;
  type: EndpointType;
  url: string;
  user: string;
  /** Empty: keep the stored one (when editing). Never filled from the core: it never sends it. */
  password: string;
  channel: Channel;
  select: string;
  preset: string;
  manual: boolean;
  fieldMap: [string, string][];
  required: RequirableField[];
  /** Directus: the file library folder uploads go into ('' for the top level). */
  folder: string;
}

const blank = (): Draft => ({
  name: '',
  type: ENDPOINT_TYPES[0],
  url: '',
  user: '',
  password: '',
  channel: 'web',
  select: '',
  preset: '',
  manual: false,
  fieldMap: Object.entries(defaultFieldMap(ENDPOINT_TYPES[0])),
  required: [...DEFAULT_REQUIRED],
  folder: '',
});

const fromEndpoint = (e: Endpoint): Draft => ({
  name: e.name,
  type: e.type,
  url: e.url,
  user: e.user ?? '',
  password: '',
  channel: e.channel,
  select: e.select,
  preset: e.preset ?? '',
  manual: e.delivery === 'manual',
  fieldMap: Object.entries(e.fieldMap),
  required: e.required,
  folder: e.options.folder ?? '',
});

/** What the secret is called for an endpoint of this type. */
const SECRET_WORDS: Record<EndpointType, string> = {
  wordpress: 'Application password',
  s3: 'Secret access key',
  webdav: 'Password',
  webhook: 'Signing secret',
  directus: 'Static token',
};

/** Add or edit one endpoint: its place, login, what it takes, and how its fields are filled. */
function EndpointForm({
  initial,
  editing,
  onDone,
}: {
  initial: Draft;
  editing: Endpoint | null;
  onDone: () => void;
}) {
  const [d, setD] = useState<Draft>(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const presets = usePublishing((s) => s.presets);
  const put = (patch: Partial<Draft>) => setD((cur) => ({ ...cur, ...patch }));

  const save = async () => {
    setError(null);
    setSaving(true);
    const common = {
      url: d.url.trim(),
      user: d.user.trim() || null,
      channel: d.channel,
      select: d.select.trim(),
      preset: d.preset || null,
      delivery: d.manual ? ('manual' as const) : ('automatic' as const),
      fieldMap: Object.fromEntries(d.fieldMap.filter(([k]) => k.trim() !== '')),
      required: d.required,
      ...(d.password ? { password: d.password } : {}),
      // Directus has one setting of its own; other types keep theirs (set with the CLI).
      ...(d.type === 'directus' ? { options: d.folder.trim() ? { folder: d.folder.trim() } : {} } : {}),
    };
    try {
      if (editing) await call('endpoints.update', { name: editing.name, ...common });
      else await call('endpoints.add', { name: d.name.trim(), type: d.type, ...common });
      await usePublishing.getState().loadEndpoints();
      void usePublishing
        .getState()
        .loadQueue()
        .catch(() => undefined);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="endpoint-form"
      aria-label={editing ? `Edit endpoint ${editing.name}` : 'New endpoint'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {!editing && (
        <div className="field-pair">
          <label className="field">
            <span className="field-label">Name</span>
            <input
              required
              value={d.name}
              onChange={(e) => put({ name: e.target.value })}
              placeholder="site"
            />
          </label>
          <label className="field">
            <span className="field-label">Type</span>
            <select
              value={d.type}
              onChange={(e) => {
                const type = e.target.value as EndpointType;
                // Each type starts with its own fields (a Directus library's are not WordPress's).
                put({ type, fieldMap: Object.entries(defaultFieldMap(type)) });
              }}
            >
              {ENDPOINT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <label className="field">
        <span className="field-label">URL</span>
        <input
          required
          type="url"
          value={d.url}
          onChange={(e) => put({ url: e.target.value })}
          placeholder="https://example.com"
        />
      </label>
      <div className="field-pair">
        {d.type === 'directus' ? (
          <label className="field">
            <span className="field-label">Folder (empty: the top level)</span>
            <input value={d.folder} onChange={(e) => put({ folder: e.target.value })} placeholder="Web" />
          </label>
        ) : (
          <label className="field">
            <span className="field-label">User</span>
            <input value={d.user} autoComplete="off" onChange={(e) => put({ user: e.target.value })} />
          </label>
        )}
        <label className="field">
          <span className="field-label">
            {editing ? `New ${SECRET_WORDS[d.type].toLowerCase()}` : SECRET_WORDS[d.type]}
          </span>
          <input
            type="password"
            autoComplete="new-password"
            value={d.password}
            placeholder={editing?.hasPassword ? 'stored; type to replace' : ''}
            onChange={(e) => put({ password: e.target.value })}
          />
        </label>
      </div>
      <div className="field-pair">
        <label className="field">
          <span className="field-label">Channel</span>
          <ChannelSelect value={d.channel} onChange={(channel) => put({ channel })} />
        </label>
        <label className="field">
          <span className="field-label">Rendition preset</span>
          <select value={d.preset} onChange={(e) => put({ preset: e.target.value })}>
            <option value="">web (default)</option>
            {presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span className="field-label">Takes (search query; empty: every approved asset)</span>
        <input
          value={d.select}
          onChange={(e) => put({ select: e.target.value })}
          placeholder="keyword:hero"
        />
      </label>
      <label className="setting-row">
        <span>Manual delivery (only what is published by hand)</span>
        <input type="checkbox" checked={d.manual} onChange={(e) => put({ manual: e.target.checked })} />
      </label>
      <fieldset className="endpoint-required">
        <legend className="field-label">Required before it takes an asset</legend>
        {REQUIRABLE_FIELDS.map((f) => (
          <label key={f} className="check">
            <input
              type="checkbox"
              checked={d.required.includes(f)}
              onChange={(e) =>
                put({ required: e.target.checked ? [...d.required, f] : d.required.filter((r) => r !== f) })
              }
            />{' '}
            {FIELD_WORDS[f]}
          </label>
        ))}
      </fieldset>
      {editing && (
        <fieldset className="endpoint-mapping">
          <legend className="field-label">Field mapping ({'{field}'} is the asset's value)</legend>
          {d.fieldMap.map(([k, v], i) => (
            <label key={k || i} className="field">
              <span className="field-label">{k}</span>
              <input
                aria-label={`Mapping of ${k}`}
                value={v}
                onChange={(e) =>
                  put({ fieldMap: d.fieldMap.map((kv, j) => (j === i ? [kv[0], e.target.value] : kv)) })
                }
              />
            </label>
          ))}
        </fieldset>
      )}
      <FormFoot
        className="form-actions"
        error={error}
        submit={editing ? 'Save endpoint' : 'Add endpoint'}
        onCancel={onDone}
        busy={saving}
      />
    </form>
  );
}

/** One endpoint: what it is, test its connection, edit or remove it (asked twice). */
function EndpointRow({ e, onEdit }: { e: Endpoint; onEdit: () => void }) {
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setTesting(true);
    setTest(null);
    try {
      setTest(await call('endpoints.test', { name: e.name }));
    } catch (err) {
      setTest({ ok: false, message: errorMessage(err) });
    } finally {
      setTesting(false);
    }
  };
  const remove = async () => {
    try {
      await call('endpoints.remove', { name: e.name });
      await usePublishing.getState().loadEndpoints();
      void usePublishing
        .getState()
        .loadQueue()
        .catch(() => undefined);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <li className="endpoint-row" aria-label={`Endpoint ${e.name}`}>
      <div className="endpoint-line">
        <strong>{e.name}</strong>
        <span className="muted">
          {e.type} · {e.url} · {e.user ?? 'no user'} · {e.channel} · {e.delivery}
          {e.preset ? ` · ${e.preset}` : ''}
          {e.select ? ` · takes “${e.select}”` : ''}
          {e.hasPassword ? '' : ' · no password stored'}
        </span>
      </div>
      <div className="endpoint-actions">
        <button type="button" className="btn small" disabled={testing} onClick={() => void run()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="btn small" onClick={onEdit}>
          Edit
        </button>
        {confirm ? (
          <>
            <span className="muted">Remove {e.name}? Its remote copies stay.</span>
            <button type="button" className="btn small danger" onClick={() => void remove()}>
              Confirm remove
            </button>
            <button type="button" className="btn small ghost" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="btn small ghost" onClick={() => setConfirm(true)}>
            Remove
          </button>
        )}
      </div>
      {test && (
        <p className={`modal-hint ${test.ok ? 'ok' : 'error'}`} role="status">
          {test.ok ? 'Connection OK: ' : 'Connection failed: '}
          {test.message}
        </p>
      )}
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** Settings → Endpoints: where approved assets are published. */
export function EndpointSettings() {
  const endpoints = usePublishing((s) => s.endpoints);
  const [form, setForm] = useState<{ editing: Endpoint | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const p = usePublishing.getState();
    Promise.all([p.loadEndpoints(), p.loadPresets()]).catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  return (
    <>
      {endpoints.length === 0 && !form && (
        <p className="modal-hint">No endpoints yet: add a WordPress site to publish approved assets to.</p>
      )}
      <ul className="endpoint-list">
        {endpoints.map((e) =>
          form?.editing?.name === e.name ? (
            <li key={e.name}>
              <EndpointForm initial={fromEndpoint(e)} editing={e} onDone={() => setForm(null)} />
            </li>
          ) : (
            <EndpointRow key={e.name} e={e} onEdit={() => setForm({ editing: e })} />
          ),
        )}
      </ul>
      {form && !form.editing && (
        <EndpointForm initial={blank()} editing={null} onDone={() => setForm(null)} />
      )}
      {!form && (
        <button type="button" className="btn" onClick={() => setForm({ editing: null })}>
          Add endpoint…
        </button>
      )}
      <p className="modal-hint">
        Passwords are kept in the OS keychain (desktop app) or a private file beside the catalogue (dam
        serve), never in the catalogue, and are never shown again.
      </p>
      {error && (
        <p className="modal-hint error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
