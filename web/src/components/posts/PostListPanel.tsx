// The right-hand lists of whole posts: the user's saved messages, and a channel's pinned ones.
import { useEffect, useState } from 'react';
import type { Post, PostList } from '@mattermost/types/posts';
import { client, errorMessage } from '../../client';
import { getState, update, useStore } from '../../state/store';
import { addPosts } from '../../state/posts';
import { ensureUsers } from '../../state/users';
import { channelLabel } from '../../state/channels';
import { PostItem } from './PostItem';
import { Icon } from '../common/Icon';

/** Loads a list once per `key`; the posts live in the store, so edits and pins show live. */
function useListedPosts(key: string, load: () => Promise<PostList>) {
  const [ids, setIds] = useState<string[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let cancelled = false;
    load()
      .then(async (list) => {
        const posts = list.order.map((id) => list.posts[id]).filter(Boolean);
        await ensureUsers(posts.map((p) => p.user_id));
        addPosts(posts, false);
        if (!cancelled) setIds(list.order);
      })
      .catch((e) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [key]);
  return { ids, error };
}

function PostListPanel({ title, ids, error, keep, empty }: {
  title: string; ids: string[] | null; error: string; keep: (p: Post) => boolean; empty: string;
}) {
  const posts = useStore((s) => s.posts);
  const teamName = useStore((s) => s.teams[s.currentTeamId]?.name ?? '');
  const channelName = (p: Post) => {
    const s = getState();
    return s.channels[p.channel_id] ? channelLabel(s, s.channels[p.channel_id]) : '';
  };
  const shown = (ids ?? []).map((id) => posts[id]).filter((p): p is Post => Boolean(p) && keep(p));
  const close = () => update(() => ({ panel: null }));
  return (
    <section className="thread-panel" aria-labelledby="list-panel-title" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <header className="panel-header">
        <h2 id="list-panel-title">{title}</h2>
        <button className="icon-button" aria-label={`Close ${title.toLowerCase()}`} onClick={close}><Icon name="close" /></button>
      </header>
      <div className="thread-posts" role="log" aria-label={title}>
        {error && <p className="form-error" role="alert">{error}</p>}
        {ids && shown.length === 0 && <p className="muted empty-threads">{empty}</p>}
        {shown.map((post) => (
          <div key={post.id} className="listed-post">
            <p className="muted listed-in">in {channelName(post)}</p>
            <PostItem post={post} grouped={false} teamName={teamName} highlighted={false} inThread />
          </div>
        ))}
      </div>
    </section>
  );
}

export function SavedPanel() {
  const me = useStore((s) => s.me?.id ?? '');
  const teamId = useStore((s) => s.currentTeamId);
  const flags = useStore((s) => s.preferences);
  const { ids, error } = useListedPosts(`saved:${teamId}`, () => client.getFlaggedPosts(me, undefined, teamId, 0, 60));
  return <PostListPanel title="Saved messages" ids={ids} error={error} empty="Save a message from its actions to find it here."
    keep={(p) => flags[`flagged_post|${p.id}`] === 'true'} />;
}

export function PinnedPanel({ channelId }: { channelId: string }) {
  const { ids, error } = useListedPosts(`pinned:${channelId}`, () => client.getPinnedPosts(channelId));
  return <PostListPanel title="Pinned messages" ids={ids} error={error} empty="No messages are pinned in this channel."
    keep={(p) => p.is_pinned && p.channel_id === channelId} />;
}
