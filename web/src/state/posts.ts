// Posts: loading pages of a channel, threads, sending (shown at once, confirmed by the server),
// editing, deleting, and merging what the WebSocket or a resync brings.
import type { Post, PostList, PostPriorityMetadata } from '@mattermost/types/posts';
import type { FileInfo } from '@mattermost/types/files';
import { client } from '../client';
import { getState, prefKey, update, type ChannelPosts } from './store';
import { ensureUsers } from './users';

export const PAGE_SIZE = 60;
const PENDING_PREFIX = 'pending:';

export const isPending = (post: Post) => post.id.startsWith(PENDING_PREFIX);

export function sortedOrder(ids: Iterable<string>, posts: Record<string, Post>): string[] {
  return [...new Set(ids)].filter((id) => posts[id]).sort((a, b) => posts[a].create_at - posts[b].create_at);
}

/** Merges posts into the store; a post replaces the pending copy it was sent as. */
export function addPosts(incoming: Post[], intoChannelOrder: boolean): void {
  if (incoming.length === 0) return;
  update((s) => {
    const posts = { ...s.posts };
    const channelPosts = { ...s.channelPosts };
    for (const post of incoming) {
      const pendingId = post.pending_post_id ? PENDING_PREFIX + post.pending_post_id : '';
      const replacesPending = Boolean(pendingId && posts[pendingId] && !isPending(post));
      const isNewReply = !posts[post.id] && !isPending(post) && post.root_id && !replacesPending;
      if (replacesPending) delete posts[pendingId];
      posts[post.id] = post;
      if (isNewReply && posts[post.root_id] && intoChannelOrder) {
        const root = posts[post.root_id];
        posts[post.root_id] = { ...root, reply_count: (root.reply_count ?? 0) + 1 };
      }
      const list = channelPosts[post.channel_id];
      // A window that does not reach the newest posts gets them when the reader scrolls there.
      if (list && ((intoChannelOrder && !list.newerNotLoaded) || replacesPending)) {
        const order = list.order.filter((id) => id !== pendingId);
        const last = posts[order[order.length - 1]];
        if (order.includes(post.id)) {
          channelPosts[post.channel_id] = { ...list, order };
        } else if (!last || last.create_at <= post.create_at) {
          channelPosts[post.channel_id] = { ...list, order: [...order, post.id] };
        } else {
          channelPosts[post.channel_id] = { ...list, order: sortedOrder([...order, post.id], posts) };
        }
      }
    }
    return { posts, channelPosts };
  });
}

export function removePost(postId: string): void {
  update((s) => {
    const gone = s.posts[postId];
    if (!gone) return {};
    const posts = { ...s.posts };
    const removed = new Set([postId]);
    for (const p of Object.values(posts)) if (p.root_id === postId) removed.add(p.id);
    removed.forEach((id) => delete posts[id]);
    if (gone.root_id && posts[gone.root_id]) {
      const root = posts[gone.root_id];
      posts[gone.root_id] = { ...root, reply_count: Math.max(0, (root.reply_count ?? 1) - 1) };
    }
    const list = s.channelPosts[gone.channel_id];
    const channelPosts = list
      ? { ...s.channelPosts, [gone.channel_id]: { ...list, order: list.order.filter((id) => !removed.has(id)) } }
      : s.channelPosts;
    const panel = s.panel?.kind === 'thread' && removed.has(s.panel.rootId) ? null : s.panel;
    return { posts, channelPosts, panel };
  });
}

export function postsOf(list: PostList): Post[] {
  return list.order.map((id) => list.posts[id]).filter(Boolean);
}

export async function withAuthors(posts: Post[]): Promise<void> {
  await ensureUsers(posts.map((p) => p.user_id));
}

/** Requests for a channel's newest page under way, so that a second caller joins the first. */
const newestPageRequests = new Map<string, Promise<void>>();

/**
 * The newest page of a channel, unless it is loaded already. A click in the sidebar asks before the
 * channel view mounts, which asks again: both wait for the same request.
 */
export function loadChannelPosts(channelId: string): Promise<void> {
  if (getState().channelPosts[channelId]) return Promise.resolve();
  let request = newestPageRequests.get(channelId);
  if (!request) {
    request = loadNewestPage(channelId).finally(() => newestPageRequests.delete(channelId));
    newestPageRequests.set(channelId, request);
  }
  return request;
}

/** Replaces what is loaded of a channel with its newest page. */
export async function loadNewestPage(channelId: string): Promise<void> {
  const list = await client.getPosts(channelId, 0, PAGE_SIZE);
  const posts = postsOf(list);
  await withAuthors(posts);
  update((s) => {
    const merged = { ...s.posts };
    for (const p of posts) merged[p.id] = p;
    const entry: ChannelPosts = {
      order: sortedOrder(list.order, merged),
      atOldest: list.order.length < PAGE_SIZE || !list.prev_post_id,
      loadingOlder: false,
    };
    return { posts: merged, channelPosts: { ...s.channelPosts, [channelId]: entry } };
  });
}

/** One more page before the oldest loaded post: the infinite scroll back. */
export async function loadOlderPosts(channelId: string): Promise<void> {
  const entry = getState().channelPosts[channelId];
  if (!entry || entry.atOldest || entry.loadingOlder) return;
  const oldest = entry.order.find((id) => !id.startsWith(PENDING_PREFIX));
  if (!oldest) return;
  setLoadingOlder(channelId, true);
  try {
    const list = await client.getPostsBefore(channelId, oldest, 0, PAGE_SIZE);
    const posts = postsOf(list);
    await withAuthors(posts);
    update((s) => {
      const merged = { ...s.posts };
      for (const p of posts) merged[p.id] = p;
      const current = s.channelPosts[channelId];
      const entry: ChannelPosts = {
        order: sortedOrder([...list.order, ...current.order], merged),
        atOldest: list.order.length < PAGE_SIZE || !list.prev_post_id,
        loadingOlder: false,
      };
      return { posts: merged, channelPosts: { ...s.channelPosts, [channelId]: entry } };
    });
  } catch (e) {
    setLoadingOlder(channelId, false);
    throw e;
  }
}

function setLoadingOlder(channelId: string, loadingOlder: boolean) {
  update((s) => ({ channelPosts: { ...s.channelPosts, [channelId]: { ...s.channelPosts[channelId], loadingOlder } } }));
}

/** Everything created, edited or deleted in a channel since its newest known change. */
export async function syncChannelPosts(channelId: string): Promise<void> {
  const s = getState();
  const entry = s.channelPosts[channelId];
  if (!entry) return;
  if (entry.newerNotLoaded) {
    await loadNewestPage(channelId);
    return;
  }
  const since = entry.order.reduce((max, id) => {
    const p = s.posts[id];
    return p && !isPending(p) ? Math.max(max, p.update_at, p.create_at) : max;
  }, 0);
  if (since === 0) {
    update((st) => {
      const channelPosts = { ...st.channelPosts };
      delete channelPosts[channelId];
      return { channelPosts };
    });
    await loadChannelPosts(channelId);
    return;
  }
  const list = await client.getPostsSince(channelId, since);
  const posts = postsOf(list);
  await withAuthors(posts);
  posts.filter((p) => p.delete_at > 0).forEach((p) => removePost(p.id));
  addPosts(posts.filter((p) => p.delete_at === 0), true);
}

export async function loadThread(rootId: string): Promise<void> {
  const list = await client.getPostThread(rootId);
  const posts = postsOf(list);
  await withAuthors(posts);
  addPosts(posts, false);
}

export function threadPosts(posts: Record<string, Post>, rootId: string): Post[] {
  const root = posts[rootId];
  const replies = Object.values(posts)
    .filter((p) => p.root_id === rootId)
    .sort((a, b) => a.create_at - b.create_at);
  return root ? [root, ...replies] : replies;
}

/**
 * Sends a message, shown at once as pending; `priority` (root posts only) asks for attention or
 * acknowledgement; `files` are uploaded files it carries.
 */
export async function sendPost(channelId: string, message: string, rootId = '', priority?: PostPriorityMetadata, files: FileInfo[] = []): Promise<void> {
  const me = getState().me;
  if (!me) return;
  // Sending from an older window shows the newest posts, where the message goes.
  if (getState().channelPosts[channelId]?.newerNotLoaded) await loadNewestPage(channelId);
  const pendingPostId = `${me.id}:${Date.now()}`;
  const now = Date.now();
  const pending = {
    id: PENDING_PREFIX + pendingPostId,
    pending_post_id: pendingPostId,
    channel_id: channelId,
    root_id: rootId,
    message,
    user_id: me.id,
    create_at: now,
    update_at: now,
    edit_at: 0,
    delete_at: 0,
    type: '',
    props: {},
    reply_count: 0,
    metadata: priority ? { priority } : {},
    file_ids: files.map((f) => f.id),
  } as unknown as Post;
  if (files.length > 0) pending.metadata.files = files;
  addPosts([pending], true);
  try {
    const metadata = priority ? { metadata: { priority } } : {};
    const fileIds = files.length > 0 ? { file_ids: pending.file_ids } : {};
    const post = await client.createPost({ channel_id: channelId, message, root_id: rootId, pending_post_id: pendingPostId, ...metadata, ...fileIds } as Partial<Post> as Post);
    addPosts([post], true);
  } catch (e) {
    update((s) => ({ posts: { ...s.posts, [pending.id]: { ...pending, failed: true } } }));
    throw e;
  }
}

export async function retryPost(post: Post): Promise<void> {
  removePost(post.id);
  await sendPost(post.channel_id, post.message, post.root_id, post.metadata?.priority, post.metadata?.files);
}

export async function editPost(postId: string, message: string): Promise<void> {
  const post = await client.patchPost({ id: postId, message });
  addPosts([post], false);
}

export async function deletePost(postId: string): Promise<void> {
  await client.deletePost(postId);
  removePost(postId);
}

export async function setPinned(postId: string, pinned: boolean): Promise<void> {
  await (pinned ? client.pinPost(postId) : client.unpinPost(postId));
  update((s) => (s.posts[postId] ? { posts: { ...s.posts, [postId]: { ...s.posts[postId], is_pinned: pinned } } } : {}));
}

/** Saving a message is the `flagged_post` preference, as in Mattermost. */
export async function setSaved(postId: string, saved: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const pref = { user_id: me.id, category: 'flagged_post', name: postId, value: 'true' };
  update((s) => ({ preferences: { ...s.preferences, [prefKey(pref.category, pref.name)]: saved ? 'true' : 'false' } }));
  await (saved ? client.savePreferences(me.id, [pref]) : client.deletePreferences(me.id, [pref]));
}
