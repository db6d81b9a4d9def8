import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../client';
import { createTeam, slugify } from '../../state/channels';
import { navigate } from '../../state/router';
import { AuthCard } from '../auth/AuthCard';

export function CreateTeam() {
  const [displayName, setDisplayName] = useState('');
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [openToAll, setOpenToAll] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const url = nameEdited ? name : slugify(displayName);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const team = await createTeam(displayName.trim(), url, openToAll);
      navigate(`/${team.name}/channels/town-square`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Create a team">
      <form onSubmit={submit}>
        <label htmlFor="team-name">Team name</label>
        <input id="team-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={64} autoFocus />
        <label htmlFor="team-url">Team URL</label>
        <div className="input-prefix">
          <span aria-hidden="true">{window.location.host}/</span>
          <input id="team-url" value={url} onChange={(e) => { setNameEdited(true); setName(e.target.value); }} required pattern="[a-z0-9][a-z0-9\-]{1,63}" title="2 to 64 lower-case letters, numbers and dashes" />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={openToAll} onChange={(e) => setOpenToAll(e.target.checked)} /> Anyone with an account on this server can join
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create team'}</button>
          <button type="button" onClick={() => window.history.back()}>Cancel</button>
        </div>
      </form>
    </AuthCard>
  );
}
