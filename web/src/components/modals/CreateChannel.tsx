import { useState, type FormEvent } from 'react';
import type { Team } from '@mattermost/types/teams';
import { errorMessage } from '../../client';
import { createChannel, slugify } from '../../state/channels';
import { Dialog, closeModal } from './Dialog';

export function CreateChannel({ team }: { team: Team }) {
  const [displayName, setDisplayName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await createChannel(team, displayName.trim(), slugify(displayName) || `channel-${Date.now()}`, isPrivate ? 'P' : 'O', purpose.trim());
      closeModal();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title="Create a channel">
      <form onSubmit={submit}>
        <label htmlFor="channel-name">Name</label>
        <input id="channel-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={64} autoFocus />
        <p className="muted">URL: ~{slugify(displayName)}</p>
        <label htmlFor="channel-purpose">Purpose (optional)</label>
        <input id="channel-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={250} />
        <fieldset className="radio-group">
          <legend>Who can join</legend>
          <label><input type="radio" name="privacy" checked={!isPrivate} onChange={() => setPrivate(false)} /> Public: anyone in the team</label>
          <label><input type="radio" name="privacy" checked={isPrivate} onChange={() => setPrivate(true)} /> Private: by invitation</label>
        </fieldset>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={busy}>Create channel</button>
          <button type="button" onClick={closeModal}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
