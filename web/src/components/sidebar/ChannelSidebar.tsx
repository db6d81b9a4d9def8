import { useMemo, type ReactNode } from 'react';
import type { ServerChannel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { navigate, threadsPath, usePathname } from '../../state/router';
import { getState, update, useStore } from '../../state/store';
import { channelLabel, channelUrl, dmPartnerId, isUnread, sidebarSections } from '../../state/channels';
import { loadChannelPosts } from '../../state/posts';
import { UserMenu } from './UserMenu';
import { Icon } from '../common/Icon';
import { StatusDot } from '../common/Avatar';

export function ChannelSidebar({ team, currentChannelId }: { team: Team; currentChannelId: string }) {
  const channels = useStore((s) => s.channels);
  const members = useStore((s) => s.myMembers);
  const prefs = useStore((s) => s.preferences);
  const users = useStore((s) => s.users);
  const sections = useMemo(() => sidebarSections(getState(), team.id), [channels, members, prefs, users, team.id]);
  const open = (kind: 'browseChannels' | 'createChannel' | 'directMessage' | 'switcher') => update(() => ({ modal: { kind } }));

  return (
    <nav className="channel-sidebar" aria-label="Channels">
      <header className="sidebar-header">
        <h2 className="team-name">{team.display_name}</h2>
        <UserMenu />
      </header>
      <button className="find-channel" onClick={() => open('switcher')} aria-keyshortcuts="Control+K">
        Find channel <kbd>Ctrl K</kbd>
      </button>
      <div className="sidebar-scroll">
        <ThreadsLink team={team} />
        {sections.favorites.length > 0 && <Section title="Favorites" channels={sections.favorites} team={team} currentChannelId={currentChannelId} />}
        <Section title="Channels" channels={sections.channels} team={team} currentChannelId={currentChannelId}
          actions={<>
            <button className="icon-button" aria-label="Browse channels" title="Browse channels" onClick={() => open('browseChannels')}><Icon name="browse" size={16} /></button>
            <button className="icon-button" aria-label="Create a channel" title="Create a channel" onClick={() => open('createChannel')}><Icon name="plus" size={16} /></button>
          </>} />
        <Section title="Direct messages" channels={sections.direct} team={team} currentChannelId={currentChannelId}
          actions={<button className="icon-button" aria-label="Write a direct message" title="Write a direct message" onClick={() => open('directMessage')}><Icon name="plus" size={16} /></button>} />
      </div>
    </nav>
  );
}

/** The Threads view, with the team's unread threads and mentions in them. */
function ThreadsLink({ team }: { team: Team }) {
  const unread = useStore((s) => s.teamThreads[team.id]?.unreadThreads ?? 0);
  const mentions = useStore((s) => s.teamThreads[team.id]?.unreadMentions ?? 0);
  const here = usePathname().startsWith(threadsPath(team.name));
  const href = threadsPath(team.name);
  const state = mentions ? `, ${mentions} mention${mentions > 1 ? 's' : ''}` : unread ? `, ${unread} unread` : '';
  return (
    <ul className="sidebar-top">
      <li>
        <a href={href} className={`channel-item${unread ? ' unread' : ''}`} aria-current={here ? 'page' : undefined} aria-label={`Threads${state}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(href);
          }}>
          <span className="channel-icon" aria-hidden="true"><Icon name="reply" size={14} /></span>
          <span className="channel-label">Threads</span>
          {mentions > 0 && <span className="badge" aria-hidden="true">{mentions}</span>}
        </a>
      </li>
    </ul>
  );
}

function Section({ title, channels, team, currentChannelId, actions }: {
  title: string; channels: ServerChannel[]; team: Team; currentChannelId: string; actions?: ReactNode;
}) {
  const id = `section-${title.replace(/\s+/g, '-').toLowerCase()}`;
  return (
    <section className="sidebar-section" aria-labelledby={id}>
      <div className="section-title">
        <h3 id={id}>{title}</h3>
        {actions}
      </div>
      <ul>
        {channels.map((c) => <ChannelItem key={c.id} channel={c} team={team} active={c.id === currentChannelId} />)}
      </ul>
    </section>
  );
}

function ChannelItem({ channel, team, active }: { channel: ServerChannel; team: Team; active: boolean }) {
  const unread = useStore((s) => isUnread(s, channel.id));
  const mentions = useStore((s) => s.myMembers[channel.id]?.mention_count ?? 0);
  const label = useStore((s) => channelLabel(s, channel));
  const partner = useStore((s) => (channel.type === 'D' ? dmPartnerId(s, channel) : ''));
  const href = useStore((s) => channelUrl(s, team.name, channel));
  const icon = channel.type === 'P' ? <Icon name="lock" size={14} /> : channel.type === 'G' ? <Icon name="members" size={14} /> : '#';
  return (
    <li>
      <a
        href={href}
        className={`channel-item${unread ? ' unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-label={`${label}${channel.type === 'P' ? ', private' : ''}${mentions ? `, ${mentions} mention${mentions > 1 ? 's' : ''}` : unread ? ', unread' : ''}`}
        onClick={(e) => {
          e.preventDefault();
          // The messages are what the new channel waits for: ask now, not once its view has mounted.
          // A failure shows in the channel view, whose own call joins this request.
          loadChannelPosts(channel.id).catch(() => undefined);
          navigate(href);
        }}
      >
        <span className="channel-icon" aria-hidden="true">{partner ? <StatusDot userId={partner} /> : icon}</span>
        <span className="channel-label">{label}</span>
        {mentions > 0 && <span className="badge" aria-hidden="true">{mentions}</span>}
      </a>
    </li>
  );
}
