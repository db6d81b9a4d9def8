import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { ChannelCategory } from '@mattermost/types/channel_categories';
import { errorMessage } from '../../client';
import type { ServerChannel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { navigate, threadsPath, usePathname } from '../../state/router';
import { getState, update, useStore } from '../../state/store';
import { channelLabel, channelUrl, dmPartnerId, isMuted, isUnread } from '../../state/channels';
import { createCategory, loadCategories, moveChannel, setCollapsed, sidebarSections } from '../../state/categories';
import { loadChannelPosts } from '../../state/posts';
import { UserMenu } from './UserMenu';
import { Icon } from '../common/Icon';
import { StatusDot } from '../common/Avatar';

export function ChannelSidebar({ team, currentChannelId }: { team: Team; currentChannelId: string }) {
  const channels = useStore((s) => s.channels);
  const members = useStore((s) => s.myMembers);
  const prefs = useStore((s) => s.preferences);
  const users = useStore((s) => s.users);
  const categories = useStore((s) => s.categories[team.id]);
  const sections = useMemo(() => sidebarSections(getState(), team.id), [channels, members, prefs, users, categories, team.id]);
  const open = (kind: 'browseChannels' | 'createChannel' | 'directMessage' | 'switcher') => update(() => ({ modal: { kind } }));

  useEffect(() => {
    loadCategories(team.id).catch((e) => console.error('loading the sidebar categories failed', errorMessage(e)));
  }, [team.id]);

  const actions = (type: string) =>
    type === 'channels' ? (
      <>
        <button className="icon-button" aria-label="Browse channels" title="Browse channels" onClick={() => open('browseChannels')}><Icon name="browse" size={16} /></button>
        <button className="icon-button" aria-label="Create a channel" title="Create a channel" onClick={() => open('createChannel')}><Icon name="plus" size={16} /></button>
      </>
    ) : type === 'direct_messages' ? (
      <button className="icon-button" aria-label="Write a direct message" title="Write a direct message" onClick={() => open('directMessage')}><Icon name="plus" size={16} /></button>
    ) : undefined;

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
        {sections
          .filter(({ category, channels }) => channels.length > 0 || category.type !== 'favorites')
          .map(({ category, channels }) => (
            <Section key={category.id} category={category} channels={channels} team={team} currentChannelId={currentChannelId} actions={actions(category.type)} />
          ))}
        <NewCategory teamId={team.id} />
      </div>
    </nav>
  );
}

/** An inline form that adds a custom category. */
function NewCategory({ teamId }: { teamId: string }) {
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState('');
  if (name === null) {
    return <button className="new-category" onClick={() => setName('')}><Icon name="plus" size={14} /> New category</button>;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setName(null);
    createCategory(teamId, name.trim()).then(() => setName(null), (err) => setError(errorMessage(err)));
  };
  return (
    <form className="new-category-form" onSubmit={submit}>
      <input aria-label="Category name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setName(null)} autoFocus maxLength={22} />
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
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

/** One category: its title toggles collapsing, and a channel dragged onto it moves there. */
function Section({ category, channels, team, currentChannelId, actions }: {
  category: ChannelCategory; channels: ServerChannel[]; team: Team; currentChannelId: string; actions?: ReactNode;
}) {
  const [dropping, setDropping] = useState(false);
  const id = `section-${category.id}`;
  // A collapsed category still shows its unread channels and the open one, as Mattermost does.
  const unreadIds = useStore((s) => channels.filter((c) => isUnread(s, c.id)).map((c) => c.id).join());
  const unread = new Set(unreadIds.split(','));
  const shown = category.collapsed ? channels.filter((c) => c.id === currentChannelId || unread.has(c.id)) : channels;
  return (
    <section
      className={`sidebar-section${dropping ? ' dropping' : ''}`}
      aria-labelledby={id}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(CHANNEL_DRAG)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        const channelId = e.dataTransfer.getData(CHANNEL_DRAG);
        if (channelId) moveChannel(team.id, channelId, category.id).catch((err) => console.error('moving the channel failed', errorMessage(err)));
      }}
    >
      <div className="section-title">
        <h3 id={id}>
          <button className="section-toggle" aria-expanded={!category.collapsed} onClick={() => void setCollapsed(team.id, category, !category.collapsed)}>
            {category.display_name}
          </button>
        </h3>
        {actions}
      </div>
      <ul>
        {shown.map((c) => <ChannelItem key={c.id} channel={c} team={team} active={c.id === currentChannelId} />)}
      </ul>
    </section>
  );
}

/** The drag data type that carries a channel id between categories. */
const CHANNEL_DRAG = 'application/x-utmost-channel';

function ChannelItem({ channel, team, active }: { channel: ServerChannel; team: Team; active: boolean }) {
  const unread = useStore((s) => isUnread(s, channel.id));
  const mentions = useStore((s) => s.myMembers[channel.id]?.mention_count ?? 0);
  const muted = useStore((s) => isMuted(s, channel.id));
  const label = useStore((s) => channelLabel(s, channel));
  const partner = useStore((s) => (channel.type === 'D' ? dmPartnerId(s, channel) : ''));
  const href = useStore((s) => channelUrl(s, team.name, channel));
  const icon = channel.type === 'P' ? <Icon name="lock" size={14} /> : channel.type === 'G' ? <Icon name="members" size={14} /> : '#';
  return (
    <li>
      <a
        href={href}
        draggable
        onDragStart={(e) => e.dataTransfer.setData(CHANNEL_DRAG, channel.id)}
        className={`channel-item${unread ? ' unread' : ''}${muted ? ' muted' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-label={`${label}${channel.type === 'P' ? ', private' : ''}${muted ? ', muted' : ''}${mentions ? `, ${mentions} mention${mentions > 1 ? 's' : ''}` : unread ? ', unread' : ''}`}
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
