// Outgoing webhooks of a team (/hooks/outgoing): the list with each hook's token, adding one,
// regenerating its token and deleting.
import { useEffect, useState, type FormEvent } from 'react';
import type { Team } from '@mattermost/types/teams';
import type { OutgoingWebhook } from '@mattermost/types/integrations';
import { client, errorMessage } from '../../client';
import { Copyable } from './Integrations';
import { useTeamChannels } from './IncomingWebhooks';
import { lines } from './integrationsLogic';

const EMPTY = { display_name: '', description: '', channel_id: '', trigger_words: '', callback_urls: '', content_type: 'application/x-www-form-urlencoded', trigger_when: 0 };

export function OutgoingWebhooks({ team }: { team: Team }) {
  const channels = useTeamChannels(team.id).filter((c) => c.type === 'O');
  const [hooks, setHooks] = useState<OutgoingWebhook[]>([]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  const [form, setForm] = useState(EMPTY);

  const load = () =>
    client
      .getOutgoingWebhooks('', team.id, 0, 200)
      .then(setHooks)
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), [team.id]);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      await client.createOutgoingWebhook({
        ...form,
        team_id: team.id,
        trigger_words: lines(form.trigger_words),
        callback_urls: lines(form.callback_urls),
      } as unknown as OutgoingWebhook);
      setAdding(false);
      setForm(EMPTY);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function act(action: () => Promise<unknown>) {
    setError('');
    await action().catch((e) => setError(errorMessage(e)));
    await load();
  }

  return (
    <section aria-labelledby="outgoing-title">
      <h1 id="outgoing-title">Outgoing Webhooks</h1>
      <p className="muted">Messages that begin with a trigger word, or any message in a channel, are sent to your URLs.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {adding ? (
        <form className="integration-form" onSubmit={add} aria-label="Add outgoing webhook">
          <label htmlFor="out-title">Title</label>
          <input id="out-title" value={form.display_name} maxLength={64} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
          <label htmlFor="out-description">Description</label>
          <input id="out-description" value={form.description} maxLength={500} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <label htmlFor="out-content">Content type</label>
          <select id="out-content" value={form.content_type} onChange={(e) => setForm({ ...form, content_type: e.target.value })}>
            <option value="application/x-www-form-urlencoded">application/x-www-form-urlencoded</option>
            <option value="application/json">application/json</option>
          </select>
          <label htmlFor="out-channel">Channel (optional)</label>
          <select id="out-channel" value={form.channel_id} onChange={(e) => setForm({ ...form, channel_id: e.target.value })}>
            <option value="">Any channel</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>{c.display_name}</option>
            ))}
          </select>
          <label htmlFor="out-words">Trigger words (one a line)</label>
          <textarea id="out-words" rows={3} value={form.trigger_words} onChange={(e) => setForm({ ...form, trigger_words: e.target.value })} />
          <label htmlFor="out-when">Trigger when</label>
          <select id="out-when" value={form.trigger_when} onChange={(e) => setForm({ ...form, trigger_when: Number(e.target.value) })}>
            <option value={0}>First word matches a trigger word exactly</option>
            <option value={1}>First word starts with a trigger word</option>
          </select>
          <label htmlFor="out-urls">Callback URLs (one a line)</label>
          <textarea id="out-urls" rows={3} required value={form.callback_urls} onChange={(e) => setForm({ ...form, callback_urls: e.target.value })} />
          <div className="row-actions">
            <button type="submit" className="primary">Save</button>
            <button type="button" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <button className="primary" onClick={() => setAdding(true)}>Add Outgoing Webhook</button>
      )}
      <ul className="integration-list" aria-label="Outgoing webhooks">
        {hooks.map((hook) => (
          <li key={hook.id}>
            <h3>{hook.display_name || 'Outgoing webhook'}</h3>
            {hook.description && <p>{hook.description}</p>}
            <p className="muted">
              Trigger words: {hook.trigger_words.join(', ') || '—'} · Callbacks: {hook.callback_urls.join(', ')}
            </p>
            <Copyable label="Token" value={hook.token} />
            <div className="row-actions">
              <button onClick={() => void act(() => client.regenOutgoingHookToken(hook.id))}>Regenerate token</button>
              <button className="danger" onClick={() => window.confirm('Delete this outgoing webhook?') && void act(() => client.removeOutgoingWebhook(hook.id))}>Delete</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
