import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Team } from '@mattermost/types/teams';
import { getState, useStore } from '../../state/store';
import { channelLabel, channelUrl, isUnread } from '../../state/channels';
import { navigate } from '../../state/router';
import { Icon } from '../common/Icon';
import { Dialog, closeModal } from './Dialog';

export function ChannelSwitcher({ team }: { team: Team }) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const channels = useStore((s) => s.channels);
  const members = useStore((s) => s.myMembers);
  const matches = useMemo(() => {
    const s = getState();
    const q = query.trim().toLowerCase();
    return Object.values(channels)
      .filter((c) => members[c.id] && c.delete_at === 0 && (c.team_id === team.id || c.team_id === ''))
      .map((c) => ({ channel: c, label: channelLabel(s, c) }))
      .filter(({ label, channel }) => !q || label.toLowerCase().includes(q) || channel.name.includes(q))
      .sort((a, b) => Number(isUnread(s, b.channel.id)) - Number(isUnread(s, a.channel.id)) || b.channel.last_post_at - a.channel.last_post_at)
      .slice(0, 20);
  }, [query, channels, members, team.id]);

  function go(index: number) {
    const match = matches[index];
    if (!match) return;
    closeModal();
    navigate(channelUrl(getState(), team.name, match.channel));
  }
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected((i) => (i + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % Math.max(1, matches.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(selected);
    }
  }
  return (
    <Dialog title="Switch channels" className="switcher">
      <input
        aria-label="Channel name"
        placeholder="Type a channel or person"
        role="combobox"
        aria-expanded="true"
        aria-controls="switcher-list"
        aria-activedescendant={matches[selected] ? `switch-${matches[selected].channel.id}` : undefined}
        value={query}
        onChange={(e) => { setQuery(e.target.value); setSelected(0); }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <ul id="switcher-list" role="listbox" aria-label="Channels">
        {matches.map((m, i) => (
          <li key={m.channel.id} id={`switch-${m.channel.id}`} role="option" aria-selected={i === selected} onMouseDown={(e) => { e.preventDefault(); go(i); }}>
            <span className="switch-icon">{m.channel.type === 'P' ? <Icon name="lock" size={14} /> : <span aria-hidden="true">{m.channel.type === 'O' ? '#' : '@'}</span>}</span>{m.label}
          </li>
        ))}
      </ul>
      <p className="muted">↑ ↓ to choose, Enter to open, Esc to close</p>
    </Dialog>
  );
}
