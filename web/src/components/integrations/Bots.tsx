// Bot accounts (/bots): the list with disabled ones, creating one, disabling and enabling,
// and each bot's access tokens (a new token is shown once).
import { useEffect, useState, type FormEvent } from 'react';
import type { Bot } from '@mattermost/types/bots';
import type { UserAccessToken } from '@mattermost/types/users';
import { client, errorMessage } from '../../client';
import { Copyable } from './Integrations';

export function Bots() {
  const [bots, setBots] = useState<Bot[]>([]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ username: '', display_name: '', description: '' });

  const load = () =>
    client
      .getBotsIncludeDeleted(0, 200)
      .then(setBots)
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), []);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      await client.createBot(form);
      setAdding(false);
      setForm({ username: '', display_name: '', description: '' });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function toggle(bot: Bot) {
    setError('');
    await (bot.delete_at ? client.enableBot(bot.user_id) : client.disableBot(bot.user_id)).catch((e) => setError(errorMessage(e)));
    await load();
  }

  return (
    <section aria-labelledby="bots-title">
      <h1 id="bots-title">Bot Accounts</h1>
      <p className="muted">Bots post through the API with access tokens, not with a password.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {adding ? (
        <form className="integration-form" onSubmit={add} aria-label="Add bot account">
          <label htmlFor="bot-username">Username</label>
          <input id="bot-username" required value={form.username} maxLength={64} onChange={(e) => setForm({ ...form, username: e.target.value })} />
          <label htmlFor="bot-display">Display name</label>
          <input id="bot-display" value={form.display_name} maxLength={64} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
          <label htmlFor="bot-description">Description</label>
          <input id="bot-description" value={form.description} maxLength={1024} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <div className="row-actions">
            <button type="submit" className="primary">Create Bot Account</button>
            <button type="button" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <button className="primary" onClick={() => setAdding(true)}>Add Bot Account</button>
      )}
      <ul className="integration-list" aria-label="Bot accounts">
        {bots.map((bot) => (
          <li key={bot.user_id}>
            <h3>
              {bot.display_name || bot.username} <span className="muted">@{bot.username}</span>
              {bot.delete_at ? ' (disabled)' : ''}
            </h3>
            {bot.description && <p>{bot.description}</p>}
            <button onClick={() => void toggle(bot)}>{bot.delete_at ? 'Enable' : 'Disable'}</button>
            {!bot.delete_at && <BotTokens bot={bot} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function BotTokens({ bot }: { bot: Bot }) {
  const [tokens, setTokens] = useState<UserAccessToken[]>([]);
  const [fresh, setFresh] = useState<UserAccessToken | null>(null);
  const [description, setDescription] = useState('');
  const [error, setError] = useState('');
  const load = () =>
    client
      .getUserAccessTokensForUser(bot.user_id, 0, 200)
      .then(setTokens)
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), [bot.user_id]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      setFresh(await client.createUserAccessToken(bot.user_id, description));
      setDescription('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {fresh?.token && <Copyable label="New access token (shown once)" value={fresh.token} />}
      <ul aria-label={`Tokens of ${bot.username}`}>
        {tokens.map((t) => (
          <li key={t.id}>
            {t.description || t.id}{' '}
            <button className="link-button" onClick={() => void client.revokeUserAccessToken(t.id).then(load, (e) => setError(errorMessage(e)))}>Revoke</button>
          </li>
        ))}
      </ul>
      <form className="row-actions" onSubmit={create} aria-label={`New token for ${bot.username}`}>
        <input aria-label="Token description" placeholder="Token description" value={description} onChange={(e) => setDescription(e.target.value)} required />
        <button type="submit">Create token</button>
      </form>
    </div>
  );
}
