// A team's custom slash commands (Mattermost's Integrations > Slash Commands): the list, a form
// to add or edit one, delete, and regenerating a command's token. The integrations area shell
// places this page; it only needs the team id. Commands are managed through Client4
// (/commands), so the server's checks (manage_slash_commands, manage_others_slash_commands)
// decide what the caller may do, and its error is shown as it comes.
import { useEffect, useState, type FormEvent } from 'react';
import type { Command } from '@mattermost/types/integrations';
import { client, errorMessage } from '../../client';

type Draft = Pick<
  Command,
  'trigger' | 'url' | 'method' | 'display_name' | 'description' | 'username' | 'icon_url' | 'auto_complete' | 'auto_complete_desc' | 'auto_complete_hint'
>;

const EMPTY: Draft = {
  trigger: '',
  url: '',
  method: 'P',
  display_name: '',
  description: '',
  username: '',
  icon_url: '',
  auto_complete: false,
  auto_complete_desc: '',
  auto_complete_hint: '',
};

export function SlashCommands({ teamId }: { teamId: string }) {
  const [commands, setCommands] = useState<Command[] | null>(null);
  const [editing, setEditing] = useState<Command | 'new' | null>(null);
  const [error, setError] = useState('');

  async function reload() {
    try {
      setCommands(await client.getCustomTeamCommands(teamId));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  useEffect(() => {
    void reload();
  }, [teamId]);

  async function act(what: () => Promise<unknown>) {
    try {
      await what();
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function save(draft: Draft) {
    const command = editing === 'new' || !editing ? { ...draft, team_id: teamId } : { ...editing, ...draft };
    try {
      if (editing === 'new') await client.addCommand(command as Command);
      else await client.editCommand(command as Command);
      setEditing(null);
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section className="slash-commands" aria-label="Slash commands">
      <header>
        <h2>Slash commands</h2>
        <button onClick={() => setEditing('new')} disabled={editing !== null}>Add slash command</button>
      </header>
      {error && <p className="form-error" role="alert">{error}</p>}
      {editing !== null && (
        <CommandForm
          initial={editing === 'new' ? EMPTY : editing}
          onSave={(draft) => void save(draft)}
          onCancel={() => setEditing(null)}
        />
      )}
      {commands === null ? (
        <p className="muted">Loading…</p>
      ) : commands.length === 0 ? (
        <p className="muted">No slash commands yet.</p>
      ) : (
        <ul className="slash-command-list">
          {commands.map((c) => (
            <li key={c.id}>
              <strong>/{c.trigger}</strong> {c.display_name && <span>{c.display_name}</span>}
              {c.description && <p className="muted">{c.description}</p>}
              <p className="muted">
                {c.method === 'G' ? 'GET' : 'POST'} {c.url}
              </p>
              <p className="muted">
                Token: <code>{c.token}</code>
              </p>
              <button onClick={() => setEditing(c)} disabled={editing !== null}>Edit</button>
              <button onClick={() => void act(() => client.regenCommandToken(c.id))}>Regenerate token</button>
              <button
                className="danger"
                onClick={() => {
                  if (window.confirm(`Delete /${c.trigger}?`)) void act(() => client.deleteCommand(c.id));
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CommandForm({ initial, onSave, onCancel }: { initial: Draft; onSave: (d: Draft) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>({ ...EMPTY, ...initial });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: 'trigger' | 'url' | 'display_name' | 'description' | 'username' | 'icon_url' | 'auto_complete_desc' | 'auto_complete_hint', label: string) => (
    <label>
      {label}
      <input value={draft[key]} onChange={(e) => set(key, e.target.value)} />
    </label>
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave({ ...draft, trigger: draft.trigger.replace(/^\//, '').trim() });
  }
  return (
    <form className="slash-command-form" onSubmit={submit}>
      {text('display_name', 'Title')}
      {text('description', 'Description')}
      {text('trigger', 'Command trigger word')}
      {text('url', 'Request URL')}
      <label>
        Request method
        <select value={draft.method} onChange={(e) => set('method', e.target.value as Draft['method'])}>
          <option value="P">POST</option>
          <option value="G">GET</option>
        </select>
      </label>
      {text('username', 'Response username')}
      {text('icon_url', 'Response icon')}
      <label>
        <input type="checkbox" checked={draft.auto_complete} onChange={(e) => set('auto_complete', e.target.checked)} />
        Autocomplete
      </label>
      {draft.auto_complete && text('auto_complete_hint', 'Autocomplete hint')}
      {draft.auto_complete && text('auto_complete_desc', 'Autocomplete description')}
      <div>
        <button type="submit">Save</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
