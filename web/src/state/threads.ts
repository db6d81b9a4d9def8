// Collapsed reply threads: the threads the signed-in user follows in a team (the Threads view),
// their unread counts, reading and following, and the thread_* WebSocket events.
import type { UserThread, UserThreadWithPost } from '@mattermost/types/threads';
import type { Post } from '@mattermost/types/posts';
import { client } from '../client';
import { getState, prefKey, update, type State, type TeamThreads } from './store';
import { addPosts } from './posts';
import { ensureUsers } from './users';

const PAGE_SIZE = 25;

const noThreads: TeamThreads = { order: [], unreadThreads: 0, unreadMentions: 0, loaded: false };

export const teamThreadsOf = (teamId: string): TeamThreads => getState().teamThreads[teamId] ?? noThreads;

function setTeamThreads(teamId: string, change: (t: TeamThreads) => Partial<TeamThreads>): void {
  update((s) => {
    const current = s.teamThreads[teamId] ?? noThreads;
    return { teamThreads: { ...s.teamThreads, [teamId]: { ...current, ...change(current) } } };
  });
}

/** Keeps a thread (without its root post, which lives with the other posts). */
function keepThreads(threads: UserThreadWithPost[]): void {
  const posts = threads.map((t) => t.post).filter((p): p is Post => Boolean(p?.id));
  // A thread's root post may come without its metadata (files, link previews), so it never
  // replaces a copy already known, which edits and reactions keep current (Mattermost's web
  // client keeps the newer copy the same way).
  addPosts(posts.filter((p) => !getState().posts[p.id]), false);
  void ensureUsers(posts.map((p) => p.user_id));
  update((s) => {
    const next = { ...s.threads };
    for (const t of threads) next[t.id] = { ...t, post: { channel_id: t.post.channel_id, user_id: t.post.user_id } };
    return { threads: next };
  });
}

/** The newest followed threads of the team, and its unread totals. */
export async function loadThreads(teamId: string, unreadOnly: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const list = await client.getUserThreads(me.id, teamId, { perPage: PAGE_SIZE, unread: unreadOnly, extended: false });
  keepThreads(list.threads);
  setTeamThreads(teamId, () => ({
    order: list.threads.map((t) => t.id),
    unreadThreads: list.total_unread_threads,
    unreadMentions: list.total_unread_mentions,
    loaded: true,
  }));
}

/** Only the team's unread totals (the sidebar's Threads badge). */
export async function loadThreadTotals(teamId: string): Promise<void> {
  const me = getState().me;
  if (!me || !teamId) return;
  const totals = await client.getUserThreads(me.id, teamId, { totalsOnly: true, threadsOnly: false });
  setTeamThreads(teamId, () => ({ unreadThreads: totals.total_unread_threads, unreadMentions: totals.total_unread_mentions }));
}

/** Marks the thread read up to now, as opening it does. */
export async function readThread(teamId: string, threadId: string): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.updateThreadReadForUser(me.id, teamId, threadId, Date.now());
}

export async function setFollowing(teamId: string, threadId: string, following: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.updateThreadFollowForUser(me.id, teamId, threadId, following);
  if (getState().threads[threadId]) onThreadFollowChanged(teamId, threadId, following);
  else await loadUserThread(teamId, threadId);
}

/**
 * The user's state of one thread (unread counts). The server answers only for a followed
 * thread, so a thread the store holds counts as followed unless `is_following` is false.
 */
export async function loadUserThread(teamId: string, threadId: string): Promise<void> {
  const me = getState().me;
  if (!me || !teamId) return;
  const thread = await client.getUserThread(me.id, teamId, threadId).catch(() => null);
  if (thread) keepThreads([{ ...thread, is_following: true } as UserThreadWithPost]);
  else if (getState().threads[threadId]) onThreadFollowChanged(teamId, threadId, false);
}

/** Whether the store holds the thread as followed (see `loadUserThread`). */
export const isFollowing = (s: State, threadId: string) => Boolean(s.threads[threadId]) && s.threads[threadId].is_following !== false;

/** `thread_updated`: a reply in a followed thread; it moves to the top of the list. */
export function onThreadUpdated(teamId: string, thread: UserThreadWithPost): void {
  keepThreads([thread]);
  setTeamThreads(teamId, (t) => ({ order: [thread.id, ...t.order.filter((id) => id !== thread.id)] }));
  void loadThreadTotals(teamId);
}

/** `thread_read_changed`: one thread's new read state, or every thread read (no thread id). */
export function onThreadRead(teamId: string, threadId: string, unreadReplies: number, unreadMentions: number, at: number): void {
  update((s) => {
    const threads = { ...s.threads };
    const ids = threadId ? [threadId] : (s.teamThreads[teamId]?.order ?? []);
    for (const id of ids) {
      const t = threads[id];
      if (t) threads[id] = { ...t, unread_replies: unreadReplies, unread_mentions: unreadMentions, last_viewed_at: at || t.last_viewed_at };
    }
    return { threads };
  });
  void loadThreadTotals(teamId);
}

/** `thread_follow_changed`: an unfollowed thread leaves the list. */
export function onThreadFollowChanged(teamId: string, threadId: string, following: boolean): void {
  update((s) => {
    const t = s.threads[threadId];
    return t ? { threads: { ...s.threads, [threadId]: { ...t, is_following: following } } } : {};
  });
  if (!following) setTeamThreads(teamId, (t) => ({ order: t.order.filter((id) => id !== threadId) }));
  void loadThreadTotals(teamId);
}

/** Collapsed reply threads for this user: the server's CollapsedThreads, then their own choice. */
export function collapsedThreadsOn(s: State): boolean {
  const setting: string = s.config.CollapsedThreads ?? 'disabled';
  if (setting === 'disabled' || setting === 'always_on') return setting === 'always_on';
  const chosen = s.preferences[prefKey('display_settings', 'collapsed_reply_threads')];
  return chosen ? chosen === 'on' : setting === 'default_on';
}

export type { UserThread };
