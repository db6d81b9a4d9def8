import { useEffect, useState } from 'react';
import type { UserProfile } from '@mattermost/types/users';
import { client, errorMessage } from '../../client';
import { update, useStore } from '../../state/store';
import { addUsers, fullName, loadStatuses } from '../../state/users';
import { Icon } from '../common/Icon';
import { Avatar } from '../common/Avatar';
import { GuestBadge } from '../common/GuestBadge';

export function MemberList({ channelId }: { channelId: string }) {
  const [members, setMembers] = useState<UserProfile[]>([]);
  const [error, setError] = useState('');
  const statuses = useStore((s) => s.statuses);

  useEffect(() => {
    client
      .getProfilesInChannel(channelId, 0, 200)
      .then((users) => {
        addUsers(users);
        setMembers(users);
        return loadStatuses(users.map((u) => u.id));
      })
      .catch((e) => setError(errorMessage(e)));
  }, [channelId]);

  const rank = (id: string) => ['online', 'away', 'dnd', 'offline'].indexOf(statuses[id] ?? 'offline');
  const sorted = [...members].sort((a, b) => rank(a.id) - rank(b.id) || a.username.localeCompare(b.username));
  return (
    <section className="member-list" aria-labelledby="members-title">
      <header className="panel-header">
        <h2 id="members-title">Members <span className="muted">({members.length})</span></h2>
        <button className="icon-button" aria-label="Close members" onClick={() => update(() => ({ panel: null }))}><Icon name="close" /></button>
      </header>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul>
        {sorted.map((u) => (
          <li key={u.id}>
            <button className="member" onClick={(e) => { const r = e.currentTarget.getBoundingClientRect(); update(() => ({ modal: { kind: 'profile', userId: u.id, x: r.left, y: r.bottom } })); }}>
              <Avatar userId={u.id} size={32} showStatus />
              <span><strong>{u.username}</strong> <GuestBadge user={u} /> <span className="muted">{fullName(u)}</span></span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
