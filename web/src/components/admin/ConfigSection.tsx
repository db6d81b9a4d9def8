// One System Console page of settings: loads `GET /config` and `GET /config/environment`,
// edits a copy, and saves only what changed through `PUT /config/patch`. Settings an `MM_*`
// variable sets are shown locked; the server's refusal (Mattermost's {id, message}) is shown
// beside the Save button.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { client } from '../../client';
import { buildPatch, describeError, fromInput, getAt, isLocked, setAt, type Field, type JsonObject } from './configForm';

export type FieldGroup = { title: string; fields: Field[] };

/** The server's configuration and what the environment locks, loaded once per page. */
export function useConfig() {
  const [saved, setSaved] = useState<JsonObject | null>(null);
  const [environment, setEnvironment] = useState<JsonObject>({});
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    Promise.all([client.getConfig(), client.getEnvironmentConfig().catch(() => ({}))])
      .then(([config, env]) => {
        if (!live) return;
        setSaved(config as unknown as JsonObject);
        setEnvironment(env as unknown as JsonObject);
      })
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, []);
  return { saved, setSaved, environment, error };
}

export const envName = (key: string) => `MM_${key.replace('.', '_').toUpperCase()}`;

export function ConfigSection({ title, groups, readOnly = false, intro, actions }: {
  title: string;
  groups: FieldGroup[];
  readOnly?: boolean;
  intro?: ReactNode;
  /** Extra buttons (a connection test) given the settings as edited. */
  actions?: (edited: JsonObject) => ReactNode;
}) {
  const { saved, setSaved, environment, error: loadError } = useConfig();
  const [edited, setEdited] = useState<JsonObject | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => setEdited(saved), [saved]);

  const keys = groups.flatMap((g) => g.fields.map((f) => f.key));
  const patch = saved && edited ? buildPatch(saved, edited, keys, environment) : {};
  const dirty = Object.keys(patch).length > 0;
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

  async function save(e: FormEvent) {
    e.preventDefault();
    setError('');
    setStatus('');
    if (!dirty) return;
    setSaving(true);
    try {
      const result = await client.patchConfig(patch as never);
      setSaved(result as unknown as JsonObject);
      setStatus('Settings saved.');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="console-section">
      <h2 id={`${id}-title`}>{title}</h2>
      {intro}
      {loadError && <p className="form-error" role="alert">{loadError}</p>}
      {edited && (
        <form onSubmit={save} aria-label={title} className="console-form">
          {groups.map((group) => (
            <fieldset key={group.title} className="console-group">
              <legend>{group.title}</legend>
              {group.fields.map((field) => (
                <Setting
                  key={field.key}
                  field={field}
                  value={getAt(edited, field.key)}
                  locked={isLocked(environment, field.key)}
                  readOnly={readOnly}
                  onChange={(v) => {
                    setStatus('');
                    setEdited(setAt(edited, field.key, fromInput(field.kind, v)));
                  }}
                />
              ))}
            </fieldset>
          ))}
          <div className="console-actions">
            {!readOnly && <button type="submit" className="primary" disabled={!dirty || saving}>{saving ? 'Saving…' : 'Save'}</button>}
            {actions?.(edited)}
          </div>
          {error && <p className="form-error" role="alert">{error}</p>}
          {status && <p className="form-status" role="status">{status}</p>}
        </form>
      )}
    </section>
  );
}

function Setting({ field, value, locked, readOnly, onChange }: {
  field: Field;
  value: unknown;
  locked: boolean;
  readOnly: boolean;
  onChange: (v: string | boolean) => void;
}) {
  const inputId = `setting-${field.key.replace('.', '-')}`;
  const disabled = locked || readOnly;
  const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  let input: ReactNode;
  switch (field.kind) {
    case 'bool':
      input = <input id={inputId} type="checkbox" checked={value === true} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case 'select':
      input = (
        <select id={inputId} value={text} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {(field.options ?? []).map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select>
      );
      break;
    case 'textarea':
      input = <textarea id={inputId} value={text} disabled={disabled} rows={3} onChange={(e) => onChange(e.target.value)} />;
      break;
    default:
      input = (
        <input
          id={inputId}
          type={field.kind === 'number' ? 'number' : field.kind === 'password' ? 'password' : 'text'}
          autoComplete="off"
          value={text}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
  return (
    <div className={`console-setting${field.kind === 'bool' ? ' console-setting-bool' : ''}`}>
      <label htmlFor={inputId}>{field.label}</label>
      {input}
      {locked && <span className="console-locked">Locked: set by the {envName(field.key)} environment variable</span>}
      {field.help && <span className="console-help">{field.help}</span>}
    </div>
  );
}

/** A "Test connection" button for a config test endpoint (`/email/test`, `/file/s3_test`, `/ldap/test`). */
export function TestButton({ label, run }: { label: string; run: () => Promise<unknown> }) {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setResult(null);
          run()
            .then(() => setResult({ ok: true, text: 'Test successful.' }))
            .catch((e) => setResult({ ok: false, text: describeError(e) }))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Testing…' : label}
      </button>
      {result && <span className={result.ok ? 'form-status' : 'form-error'} role={result.ok ? 'status' : 'alert'}>{result.text}</span>}
    </>
  );
}
