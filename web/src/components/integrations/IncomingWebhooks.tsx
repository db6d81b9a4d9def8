// Incoming webhooks of a team (/hooks/incoming): the list, adding one (its URL is shown to
// copy) and deleting.
import { useEffect, useState, type FormEvent } from 'react';
import type { Team } from '@mattermost/types/teams';
import type { IncomingWebhook } from '@mattermost/types/integrations';
import { client, errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { Copyable } from './Integrations';

export const hookUrl = (id: string) => `${window.location.origin}/hooks/${id}`;

/** The team's public and private channels the user is in, by name. */
export function useTeamChannels(teamId: string) {
  const channels = useStore((s) => s.channels);
  const members = useStore((s) => s.myMembers);
  return Object.values(channels)
    .filter((c) => c.team_id === teamId && (c.type === 'O' || c.type === 'P') && members[c.id])
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
}

export function IncomingWebhooks({ team }: { team: Team }) {
  const channels = useTeamChannels(team.id);
  const [hooks, setHooks] = useState<IncomingWebhook[]>([]);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<IncomingWebhook | null>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ display_name: '', description: '', channel_id: '', channel_locked: false });

  const load = () =>
    client
      .getIncomingWebhooks(team.id, 0, 200)
      .then((list) => setHooks(list as IncomingWebhook[]))
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), [team.id]);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      const hook = await client.createIncomingWebhook({ ...form, channel_id: form.channel_id || channels[0]?.id || '' });
      setCreated(hook);
      setAdding(false);
      setForm({ display_name: '', description: '', channel_id: '', channel_locked: false });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function remove(hook: IncomingWebhook) {
    if (!window.confirm(`Delete the incoming webhook "${hook.display_name || hook.id}"?`)) return;
    await client.removeIncomingWebhook(hook.id).catch((e) => setError(errorMessage(e)));
    await load();
  }

  return (
    <section aria-labelledby="incoming-title">
      <h1 id="incoming-title">Incoming Webhooks</h1>
      <p className="muted">Other applications post messages to a channel by sending JSON to a webhook's URL.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {created && (
        <div className="notice" role="status">
          <p>Incoming webhook created.</p>
          <Copyable label="Webhook URL" value={hookUrl(created.id)} />
        </div>
      )}
      {adding ? (
        <form className="integration-form" onSubmit={add} aria-label="Add incoming webhook">
          <label htmlFor="in-title">Title</label>
          <input id="in-title" value={form.display_name} maxLength={64} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
          <label htmlFor="in-description">Description</label>
          <input id="in-description" value={form.description} maxLength={500} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <label htmlFor="in-channel">Channel</label>
          <select id="in-channel" value={form.channel_id} onChange={(e) => setForm({ ...form, channel_id: e.target.value })}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>{c.display_name}</option>
            ))}
          </select>
          <label className="checkbox">
            <input type="checkbox" checked={form.channel_locked} onChange={(e) => setForm({ ...form, channel_locked: e.target.checked })} /> Lock to this channel
          </label>
          <div className="row-actions">
            <button type="submit" className="primary">Save</button>
            <button type="button" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <button className="primary" onClick={() => { setAdding(true); setCreated(null); }}>Add Incoming Webhook</button>
      )}
      <ul className="integration-list" aria-label="Incoming webhooks">
        {hooks.map((hook) => (
          <li key={hook.id}>
            <h3>{hook.display_name || 'Incoming webhook'}</h3>
            {hook.description && <p>{hook.description}</p>}
            <p className="muted">Channel: {channels.find((c) => c.id === hook.channel_id)?.display_name ?? hook.channel_id}</p>
            <Copyable label="URL" value={hookUrl(hook.id)} />
            <button className="danger" onClick={() => void remove(hook)}>Delete</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
