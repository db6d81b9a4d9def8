import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../client';
import { update, useStore } from '../../state/store';
import { loadThread, threadPosts } from '../../state/posts';
import { collapsedThreadsOn, isFollowing, loadUserThread, readThread, setFollowing } from '../../state/threads';
import { channelLabel } from '../../state/channels';
import { PostItem } from './PostItem';
import { Composer } from './Composer';
import { Icon } from '../common/Icon';
import { TypingIndicator } from './TypingIndicator';
import { useFileDrop } from '../files/useFileDrop';

/** A thread with its composer; `onClose` replaces closing the right-hand panel. */
export function ThreadPanel({ rootId, onClose }: { rootId: string; onClose?: () => void }) {
  const posts = useStore((s) => s.posts);
  const root = posts[rootId];
  const channelName = useStore((s) => (root && s.channels[root.channel_id] ? channelLabel(s, s.channels[root.channel_id]) : ''));
  const teamName = useStore((s) => s.teams[s.currentTeamId]?.name ?? '');
  const highlight = useStore((s) => s.highlightPostId);
  const [error, setError] = useState('');
  const thread = useMemo(() => threadPosts(posts, rootId), [posts, rootId]);
  const drop = useFileDrop(root?.channel_id ?? '', rootId);

  useEffect(() => {
    loadThread(rootId).catch((e) => setError(errorMessage(e)));
  }, [rootId]);

  // A followed thread is read while it is open, again as replies arrive.
  const teamId = useStore((s) => s.currentTeamId);
  const unread = useStore((s) => (s.threads[rootId]?.unread_replies ?? 0) + (s.threads[rootId]?.unread_mentions ?? 0));
  useEffect(() => {
    if (teamId && unread > 0) readThread(teamId, rootId).catch((e) => console.error('marking the thread read failed', errorMessage(e)));
  }, [teamId, rootId, unread]);

  // Following decides who hears of new replies (collapsed threads): the switch Mattermost shows.
  const crt = useStore(collapsedThreadsOn);
  const following = useStore((s) => isFollowing(s, rootId));
  // Asked again as replies come: replying makes the user follow.
  useEffect(() => {
    if (crt && teamId) void loadUserThread(teamId, rootId);
  }, [crt, teamId, rootId, thread.length]);
  const toggleFollow = () => setFollowing(teamId, rootId, !following).catch((e) => setError(errorMessage(e)));

  const close = onClose ?? (() => update(() => ({ panel: null })));
  return (
    <section className="thread-panel" aria-labelledby="thread-title" onKeyDown={(e) => e.key === 'Escape' && close()} {...(root ? drop.dropProps : {})}>
      {drop.overlay}
      <header className="panel-header">
        <h2 id="thread-title">Thread {channelName && <span className="muted">in {channelName}</span>}</h2>
        {crt && root && (
          <button className="follow-button" aria-pressed={following} onClick={() => void toggleFollow()}>{following ? 'Following' : 'Follow'}</button>
        )}
        <button className="icon-button" aria-label="Close thread" onClick={close}><Icon name="close" /></button>
      </header>
      <div className="thread-posts" role="log" aria-label="Thread messages">
        {error && <p className="form-error" role="alert">{error}</p>}
        {thread.map((post, i) => (
          <div key={post.id}>
            <PostItem post={post} grouped={false} teamName={teamName} highlighted={post.id === highlight} inThread />
            {i === 0 && thread.length > 1 && <div className="thread-divider">{thread.length - 1} {thread.length === 2 ? 'reply' : 'replies'}</div>}
          </div>
        ))}
      </div>
      {root && (
        <>
          <TypingIndicator channelId={root.channel_id} rootId={rootId} />
          <Composer channelId={root.channel_id} rootId={rootId} placeholder="Reply…" />
        </>
      )}
    </section>
  );
}
