// A team's screen: team bar, channel sidebar, the open channel and the right-hand panel.
// Resolves the URL (channel name, @username, permalink) to a channel, joining public ones.
import { useEffect, useState } from 'react';
import { client, errorMessage } from '../client';
import type { Route } from '../state/router';
import { navigate } from '../state/router';
import { getState, update, useStore } from '../state/store';
import { channelLabel, channelUrl, loadChannels, refreshTeamUnreads, sidebarOrder, fetchMyChannel, openDirectMessage } from '../state/channels';
import { ensureUsers } from '../state/users';
import { loadThreadTotals } from '../state/threads';
import { loadScheduled } from '../state/scheduled';
import { loadDrafts } from '../state/drafts';
import { addPosts } from '../state/posts';
import { focusPost } from '../state/postWindow';
import { socket } from '../client';
import { LAST_PATH_KEY, Redirect } from './App';
import { landingChannel } from '../landing';
import { TeamBar } from './sidebar/TeamBar';
import { ChannelSidebar } from './sidebar/ChannelSidebar';
import { ChannelView } from './channel/ChannelView';
import { ThreadPanel } from './posts/ThreadPanel';
import { ThreadsView } from './threads/ThreadsView';
import { PinnedPanel, SavedPanel } from './posts/PostListPanel';
import { MemberList } from './channel/MemberList';
import { ConnectionBanner } from './common/ConnectionBanner';
import { NotificationBanner } from './common/NotificationBanner';
import { AnnouncementBanner } from './common/AnnouncementBanner';
import { useUnreadTitle } from '../notifications/badge';
import { Modals } from './modals/Modals';
import { SearchHeader } from './search/SearchHeader';
import { SearchPanel, searchTitle } from './search/SearchPanel';

type TeamRoute = Extract<Route, { team: string }>;

/** On a phone the right-hand panel covers the channel (styles.css). */
const PANEL_COVERS_CHANNEL = '(max-width: 760px)';

const PANEL_LABELS = { thread: 'Thread', members: 'Members', saved: 'Saved messages', pinned: 'Pinned messages' } as const;

export function TeamShell({ route }: { route: TeamRoute }) {
  const team = useStore((s) => Object.values(s.teams).find((t) => t.name === route.team));
  const channelsLoaded = useStore((s) => (team ? s.currentTeamId === team.id : false));
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const panel = useStore((s) => s.panel);
  const search = useStore((s) => s.search);

  useEffect(() => {
    if (!team) return;
    let cancelled = false;
    void loadChannels(team.id).then(() => {
      if (cancelled) return;
      update(() => ({ currentTeamId: team.id }));
      void refreshTeamUnreads();
      void loadThreadTotals(team.id);
      loadScheduled(team.id).catch((e) => console.error('loading scheduled messages failed', errorMessage(e)));
      loadDrafts(team.id).catch((e) => console.error('loading drafts failed', errorMessage(e)));
      socket.updateActiveTeam(team.id);
    });
    return () => {
      cancelled = true;
    };
  }, [team?.id]);

  useGlobalShortcuts(team?.name ?? '', team?.id ?? '');
  const channelId = useResolvedChannel(route, channelsLoaded);

  const channelName = useStore((s) => (channelId && s.channels[channelId] ? channelLabel(s, s.channels[channelId]) : ''));
  useUnreadTitle(route.name === 'threads' ? 'Threads' : channelName, team?.display_name ?? '');

  useEffect(() => {
    if (channelId) localStorage.setItem(LAST_PATH_KEY, window.location.pathname);
    setSidebarOpen(false);
  }, [channelId]);

  if (!team) return <Redirect to="/select_team" />;
  if (route.name === 'team') return <Redirect to={`/${team.name}/channels/${teamLanding(team.id)}`} />;

  return (
    <div className="app" data-sidebar-open={sidebarOpen} data-panel={panel ? 'open' : 'closed'}>
      <a className="skip-link" href="#post-list">Skip to messages</a>
      <ConnectionBanner />
      <AnnouncementBanner />
      <NotificationBanner />
      <SearchHeader teamId={team.id} />
      <div className="layout">
        {/* On a phone the sidebars are a drawer: choosing a channel (even the open one) closes it. */}
        <div className="sidebars" onClick={(e) => (e.target as HTMLElement).closest('a') && setSidebarOpen(false)}>
          <TeamBar currentTeamId={team.id} />
          <ChannelSidebar team={team} currentChannelId={channelId} />
        </div>
        <button className="sidebar-scrim" aria-hidden="true" tabIndex={-1} onClick={() => setSidebarOpen(false)} />
        <main className="channel-main" aria-label="Channel">
          {route.name === 'threads' ? (
            <ThreadsView team={team} threadId={route.threadId} onOpenSidebar={() => setSidebarOpen(true)} />
          ) : channelId ? (
            <ChannelView key={channelId} channelId={channelId} team={team} onOpenSidebar={() => setSidebarOpen(true)} />
          ) : (
            <div className="splash" role="status">Loading channel…</div>
          )}
        </main>
        {panel?.kind === 'search' ? (
          <aside className="right-panel" aria-label={searchTitle(search)}>
            <SearchPanel />
          </aside>
        ) : panel && channelId && route.name !== 'threads' && (
          <aside className="right-panel" aria-label={PANEL_LABELS[panel.kind]}>
            {panel.kind === 'thread' ? <ThreadPanel key={panel.rootId} rootId={panel.rootId} />
              : panel.kind === 'saved' ? <SavedPanel />
              : panel.kind === 'pinned' ? <PinnedPanel key={channelId} channelId={channelId} />
              : <MemberList channelId={channelId} />}
          </aside>
        )}
      </div>
      <Modals team={team} />
    </div>
  );
}

/** The channel `teamId` opens on for the signed-in user (a guest may not be in Town Square). */
function teamLanding(teamId: string): string {
  const s = getState();
  return landingChannel(Object.values(s.channels), (id) => Boolean(s.myMembers[id]), teamId);
}

/** The id of the channel the URL names, once it is known (joining/opening it when needed). */
function useResolvedChannel(route: TeamRoute, ready: boolean): string {
  const teamName = route.team;
  const team = useStore((s) => Object.values(s.teams).find((t) => t.name === teamName));
  const key = route.name === 'channel' ? route.channel : route.name === 'dm' ? `@${route.username}` : route.name === 'permalink' ? `pl:${route.postId}` : '';
  const found = useStore((s) => {
    if (!team) return '';
    if (route.name === 'channel') {
      return Object.values(s.channels).find((c) => c.name === route.channel && s.myMembers[c.id] && (c.team_id === team.id || c.team_id === ''))?.id ?? '';
    }
    if (route.name === 'dm') {
      const user = Object.values(s.users).find((u) => u.username === route.username);
      if (!user || !s.me) return '';
      const name = [s.me.id, user.id].sort().join('__');
      return Object.values(s.channels).find((c) => c.name === name && s.myMembers[c.id])?.id ?? '';
    }
    return '';
  });
  const [failed, setFailed] = useState('');

  useEffect(() => {
    if (!ready || found || !team) return;
    let cancelled = false;
    setFailed('');
    (async () => {
      if (route.name === 'channel') {
        const channel = await client.getChannelByName(team.id, route.channel);
        const me = getState().me;
        if (me && (channel.type === 'O' || channel.type === 'P')) {
          await client.addToChannel(me.id, channel.id).catch(() => undefined);
        }
        await fetchMyChannel(channel.id);
      } else if (route.name === 'dm') {
        const user = await client.getUserByUsername(route.username);
        await ensureUsers([user.id]);
        await openDirectMessage(team, [user.id]);
      } else if (route.name === 'permalink') {
        const post = await client.getPost(route.postId);
        await fetchMyChannel(post.channel_id);
        addPosts([post], false);
        await focusPost(post);
        const s = getState();
        const channel = s.channels[post.channel_id];
        // The message's thread opens beside it; but search results stay beside the message their
        // Jump opened, except on a phone, where they would cover it.
        const thread = { kind: 'thread' as const, rootId: post.root_id || post.id };
        const fromSearch = s.panel?.kind === 'search';
        update(() => ({ panel: fromSearch ? (window.matchMedia(PANEL_COVERS_CHANNEL).matches ? null : s.panel) : thread }));
        const teamName = (channel && s.teams[channel.team_id]?.name) || team.name;
        if (channel && !cancelled) navigate(channelUrl(s, teamName, channel), { replace: true });
      }
    })().catch((e) => {
      if (!cancelled) setFailed(errorMessage(e));
    });
    return () => {
      cancelled = true;
    };
  }, [ready, found, team?.id, key]);

  useEffect(() => {
    if (!failed || !team) return;
    const landing = teamLanding(team.id);
    if (!(route.name === 'channel' && route.channel === landing)) {
      console.warn(`cannot open ${key}: ${failed}`);
      navigate(`/${team.name}/channels/${landing}`, { replace: true });
    }
  }, [failed]);

  return found;
}

/** Ctrl/Cmd+K opens the channel switcher; Alt+Up/Down moves through the sidebar. */
function useGlobalShortcuts(teamName: string, teamId: string) {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        update(() => ({ modal: { kind: 'switcher' } }));
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        const s = getState();
        const order = sidebarOrder(s, teamId);
        const index = order.findIndex((c) => c.id === s.currentChannelId);
        const next = order[(index + (e.key === 'ArrowUp' ? -1 : 1) + order.length) % order.length];
        if (next) navigate(channelUrl(s, teamName, next));
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [teamName, teamId]);
}
