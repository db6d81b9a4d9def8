import { useEffect, useLayoutEffect, useState } from 'react';
import type { Team } from '@mattermost/types/teams';
import { socket } from '../../client';
import { getState, update, useStore } from '../../state/store';
import { loadChannelPosts } from '../../state/posts';
import { viewChannel } from '../../state/channels';
import { useReadOnly } from '../../state/channelPermissions';
import { ChannelHeader } from './ChannelHeader';
import { BookmarksBar } from './BookmarksBar';
import { PostList } from '../posts/PostList';
import { Composer } from '../posts/Composer';
import { TypingIndicator } from '../posts/TypingIndicator';
import { useFileDrop } from '../files/useFileDrop';

export function ChannelView({ channelId, team, onOpenSidebar }: { channelId: string; team: Team; onOpenSidebar: () => void }) {
  const channel = useStore((s) => s.channels[channelId]);
  const loaded = useStore((s) => Boolean(s.channelPosts[channelId]));
  const archived = Boolean(channel && channel.delete_at > 0);
  const readOnly = useReadOnly(channelId, channel?.team_id ?? '', channel?.update_at ?? 0);
  const slow = useSlow(!loaded);
  const drop = useFileDrop(channelId, '');

  // The posts are what the first frame of messages waits for: ask before the passive effects run
  // (the composer focuses and sizes itself, which forces a layout). Marking the channel read, and
  // the re-render that follows, wait until that frame is painted.
  useLayoutEffect(() => {
    void loadChannelPosts(channelId).then(() => requestAnimationFrame(() => setTimeout(() => void viewChannel(channelId))));
  }, [channelId]);

  useEffect(() => {
    update((s) => ({
      currentChannelId: channelId,
      newMessagesSince: { ...s.newMessagesSince, [channelId]: s.myMembers[channelId]?.last_viewed_at ?? 0 },
      panel: s.panel?.kind === 'thread' && s.posts[s.panel.rootId]?.channel_id !== channelId ? null : s.panel,
    }));
    socket.updateActiveChannel(channelId);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && getState().currentChannelId === channelId) void viewChannel(channelId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      update((s) => (s.currentChannelId === channelId ? { currentChannelId: '' } : {}));
    };
  }, [channelId]);

  if (!channel) return null;
  return (
    <section className="channel-view" aria-labelledby="channel-title" {...(archived ? {} : drop.dropProps)}>
      {drop.overlay}
      <ChannelHeader channel={channel} team={team} onOpenSidebar={onOpenSidebar} />
      <BookmarksBar channelId={channel.id} />
      {loaded ? <PostList channelId={channelId} teamName={team.name} /> : <div className="post-list-loading" role="status">{slow && 'Loading messages…'}</div>}
      <TypingIndicator channelId={channelId} rootId="" />
      {archived ? (
        <p className="archived-notice" role="note">This channel is archived.</p>
      ) : readOnly ? (
        <p className="archived-notice read-only-notice" role="note">This channel is read-only.</p>
      ) : (
        <Composer channelId={channelId} rootId="" placeholder={`Write to ${channel.type === 'D' ? 'this conversation' : channel.display_name}`} />
      )}
    </section>
  );
}

// Posts usually arrive within a few dozen milliseconds: a "Loading…" notice that flashes for that
// long helps nobody, so it shows only when the wait is longer.
const LOADING_NOTICE_DELAY_MS = 150;

/** True once `waiting` has held for LOADING_NOTICE_DELAY_MS. */
function useSlow(waiting: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setSlow(true), LOADING_NOTICE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  return waiting && slow;
}
