// OAuth 2.0 applications (/oauth/apps): registering one (its client secret is shown once:
// the server keeps only its hash), regenerating the secret, deleting.
import { useEffect, useState, type FormEvent } from 'react';
import type { OAuthApp } from '@mattermost/types/integrations';
import { client, errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { isSystemAdmin } from '../../state/users';
import { Copyable } from './Integrations';
import { lines } from './integrationsLogic';

const EMPTY = { name: '', description: '', homepage: '', icon_url: '', callback_urls: '', is_trusted: false };

export function OAuthApps() {
  const admin = useStore((s) => isSystemAdmin(s.me));
  const [apps, setApps] = useState<OAuthApp[]>([]);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<OAuthApp | null>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState(EMPTY);

  const load = () =>
    client
      .getOAuthApps(0, 200)
      .then(setApps)
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), []);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      setShown(await client.createOAuthApp({ ...form, callback_urls: lines(form.callback_urls) }));
      setAdding(false);
      setForm(EMPTY);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function regenerate(app: OAuthApp) {
    if (!window.confirm(`Regenerate the secret of ${app.name}? The app stops working until it has the new one.`)) return;
    setError('');
    await client.regenOAuthAppSecret(app.id).then(setShown, (e) => setError(errorMessage(e)));
  }

  async function remove(app: OAuthApp) {
    if (!window.confirm(`Delete ${app.name}? Everyone signed in with it is signed out of it.`)) return;
    setError('');
    await client.deleteOAuthApp(app.id).catch((e) => setError(errorMessage(e)));
    if (shown?.id === app.id) setShown(null);
    await load();
  }

  return (
    <section aria-labelledby="oauth-title">
      <h1 id="oauth-title">OAuth 2.0 Applications</h1>
      <p className="muted">Third-party applications sign people in with their account here and act for them.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {shown && (
        <div className="notice" role="status" aria-label="Client credentials">
          <p>
            Copy the client secret of <strong>{shown.name}</strong> now: it is not shown again.
          </p>
          <Copyable label="Client ID" value={shown.id} />
          <Copyable label="Client Secret" value={shown.client_secret} />
        </div>
      )}
      {adding ? (
        <form className="integration-form" onSubmit={add} aria-label="Register OAuth 2.0 application">
          {admin && (
            <label className="checkbox">
              <input type="checkbox" checked={form.is_trusted} onChange={(e) => setForm({ ...form, is_trusted: e.target.checked })} /> Trusted (no consent page)
            </label>
          )}
          <label htmlFor="oauth-name">Display name</label>
          <input id="oauth-name" required maxLength={64} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <label htmlFor="oauth-description">Description</label>
          <input id="oauth-description" maxLength={512} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <label htmlFor="oauth-homepage">Homepage</label>
          <input id="oauth-homepage" type="url" required maxLength={256} value={form.homepage} onChange={(e) => setForm({ ...form, homepage: e.target.value })} />
          <label htmlFor="oauth-icon">Icon URL</label>
          <input id="oauth-icon" type="url" maxLength={512} value={form.icon_url} onChange={(e) => setForm({ ...form, icon_url: e.target.value })} />
          <label htmlFor="oauth-callbacks">Callback URLs (one a line)</label>
          <textarea id="oauth-callbacks" rows={3} required value={form.callback_urls} onChange={(e) => setForm({ ...form, callback_urls: e.target.value })} />
          <div className="row-actions">
            <button type="submit" className="primary">Register</button>
            <button type="button" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <button className="primary" onClick={() => { setAdding(true); setShown(null); }}>Add OAuth 2.0 Application</button>
      )}
      <ul className="integration-list" aria-label="OAuth 2.0 applications">
        {apps.map((app) => (
          <li key={app.id}>
            <h3>
              {app.name} {app.is_trusted && <span className="badge">Trusted</span>}
            </h3>
            {app.description && <p>{app.description}</p>}
            <p className="muted">Client ID: {app.id} · Callbacks: {app.callback_urls.join(', ')}</p>
            <div className="row-actions">
              <button onClick={() => void regenerate(app)}>Regenerate secret</button>
              <button className="danger" onClick={() => void remove(app)}>Delete</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
