// Opening a channel at one message (a permalink, a search hit's Jump), as Mattermost's permalink
// view does: when the message is not among the channel's loaded posts, the posts just before and
// after it (GET /channels/{id}/posts?before=… and ?after=…) replace them, and newer pages load
// as the reader scrolls down, or all at once with "Jump to recent messages".
import type { Post } from '@mattermost/types/posts';
import { client } from '../client';
import { getState, update } from './store';
import { PAGE_SIZE, isPending, postsOf, sortedOrder, withAuthors } from './posts';

/** Posts loaded on each side of the message. */
const AROUND = 30;

export async function focusPost(post: Post): Promise<void> {
  const channelId = post.channel_id;
  if (!getState().channelPosts[channelId]?.order.includes(post.id)) {
    const [before, after] = await Promise.all([
      client.getPostsBefore(channelId, post.id, 0, AROUND),
      client.getPostsAfter(channelId, post.id, 0, AROUND),
    ]);
    const around = [...postsOf(before), post, ...postsOf(after)];
    await withAuthors(around);
    update((s) => {
      const posts = { ...s.posts };
      for (const p of around) posts[p.id] = p;
      const entry = {
        order: sortedOrder(around.map((p) => p.id), posts),
        atOldest: before.order.length < AROUND,
        loadingOlder: false,
        newerNotLoaded: after.order.length >= AROUND,
      };
      return { posts, channelPosts: { ...s.channelPosts, [channelId]: entry } };
    });
  }
  update(() => ({ highlightPostId: post.id }));
}

/** One more page after the newest loaded post of a window. */
export async function loadNewerPosts(channelId: string): Promise<void> {
  const s = getState();
  const entry = s.channelPosts[channelId];
  if (!entry?.newerNotLoaded || entry.loadingNewer) return;
  const newest = entry.order.filter((id) => s.posts[id] && !isPending(s.posts[id])).at(-1);
  if (!newest) return;
  setLoadingNewer(channelId, true);
  try {
    const list = await client.getPostsAfter(channelId, newest, 0, PAGE_SIZE);
    const newer = postsOf(list);
    await withAuthors(newer);
    update((st) => {
      const posts = { ...st.posts };
      for (const p of newer) posts[p.id] = p;
      const current = st.channelPosts[channelId];
      const next = {
        ...current,
        order: sortedOrder([...current.order, ...list.order], posts),
        newerNotLoaded: list.order.length >= PAGE_SIZE,
        loadingNewer: false,
      };
      return { posts, channelPosts: { ...st.channelPosts, [channelId]: next } };
    });
  } catch (e) {
    setLoadingNewer(channelId, false);
    throw e;
  }
}

function setLoadingNewer(channelId: string, loadingNewer: boolean) {
  update((s) => ({ channelPosts: { ...s.channelPosts, [channelId]: { ...s.channelPosts[channelId], loadingNewer } } }));
}
