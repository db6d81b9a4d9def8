import { useEffect, useState } from 'react';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import { client, errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { addUsers, fullName } from '../../state/users';
import { openDirectMessage } from '../../state/channels';
import { Avatar } from '../common/Avatar';
import { Dialog, closeModal } from './Dialog';

export function DirectMessage({ team }: { team: Team }) {
  const me = useStore((s) => s.me);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<UserProfile[]>([]);
  const [chosen, setChosen] = useState<UserProfile[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => {
      const search = query.trim()
        ? client.searchUsers(query.trim(), { team_id: team.id, limit: 20 })
        : client.getProfilesInTeam(team.id, 0, 50);
      search.then((users) => { addUsers(users); setResults(users.filter((u) => u.id !== me?.id && u.delete_at === 0)); }).catch((e) => setError(errorMessage(e)));
    }, 150);
    return () => window.clearTimeout(timer);
  }, [query, team.id, me?.id]);

  const toggle = (u: UserProfile) => setChosen((c) => (c.some((x) => x.id === u.id) ? c.filter((x) => x.id !== u.id) : c.length < 7 ? [...c, u] : c));

  async function go() {
    try {
      await openDirectMessage(team, chosen.map((u) => u.id));
      closeModal();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Dialog title="Direct messages">
      <input aria-label="Find people" placeholder="Find people by name" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {chosen.length > 0 && (
        <p className="chosen" aria-live="polite">To: {chosen.map((u) => `@${u.username}`).join(', ')}</p>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul className="people-list" aria-label="People">
        {results.map((u) => (
          <li key={u.id}>
            <label className="person">
              <input type="checkbox" checked={chosen.some((x) => x.id === u.id)} onChange={() => toggle(u)} />
              <Avatar userId={u.id} size={28} showStatus />
              <span><strong>{u.username}</strong> <span className="muted">{fullName(u)}</span></span>
            </label>
          </li>
        ))}
      </ul>
      <div className="row-actions">
        <button className="primary" disabled={chosen.length === 0} onClick={() => void go()}>{chosen.length > 1 ? 'Start group message' : 'Go'}</button>
        <button onClick={closeModal}>Cancel</button>
      </div>
    </Dialog>
  );
}
