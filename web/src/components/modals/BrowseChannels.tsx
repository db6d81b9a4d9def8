import { useEffect, useState } from 'react';
import type { ServerChannel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { client, errorMessage } from '../../client';
import { update, useStore } from '../../state/store';
import { channelPath, navigate } from '../../state/router';
import { joinChannel } from '../../state/channels';
import { Dialog, closeModal } from './Dialog';

export function BrowseChannels({ team }: { team: Team }) {
  const [channels, setChannels] = useState<ServerChannel[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState('');
  const members = useStore((s) => s.myMembers);

  useEffect(() => {
    client.getChannels(team.id, 0, 200).then(setChannels).catch((e) => setError(errorMessage(e)));
  }, [team.id]);

  const q = query.trim().toLowerCase();
  const shown = channels
    .filter((c) => !q || c.display_name.toLowerCase().includes(q) || c.name.includes(q) || c.purpose.toLowerCase().includes(q))
    .sort((a, b) => a.display_name.localeCompare(b.display_name));

  async function open(c: ServerChannel) {
    try {
      if (members[c.id]) navigate(channelPath(team.name, c.name));
      else await joinChannel(team, c);
      closeModal();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Dialog title="Browse channels">
      <div className="row-actions">
        <input aria-label="Search channels" placeholder="Search channels" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
        <button onClick={() => update(() => ({ modal: { kind: 'createChannel' } }))}>Create channel</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul className="browse-list">
        {shown.map((c) => (
          <li key={c.id}>
            <div>
              <strong># {c.display_name}</strong>
              {c.purpose && <p className="muted">{c.purpose}</p>}
            </div>
            <button onClick={() => void open(c)} aria-label={`${members[c.id] ? 'View' : 'Join'} ${c.display_name}`}>{members[c.id] ? 'View' : 'Join'}</button>
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No channels found.</li>}
      </ul>
    </Dialog>
  );
}
