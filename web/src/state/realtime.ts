// The WebSocket: applies the server's events to the store, shows the connection state, and
// resyncs after a reconnect so no message is lost while the connection was down.
import type { WebSocketMessage } from '@mattermost/client';
import type { Post, PostAcknowledgement } from '@mattermost/types/posts';
import type { Reaction } from '@mattermost/types/reactions';
import type { UserThreadWithPost } from '@mattermost/types/threads';
import type { ScheduledPost } from '@mattermost/types/schedule_post';
import type { Draft } from '@mattermost/types/drafts';
import type { CustomEmoji } from '@mattermost/types/emojis';
import type { ChannelMembership, ServerChannel } from '@mattermost/types/channels';
import type { UserProfile } from '@mattermost/types/users';
import type { PreferenceType } from '@mattermost/types/preferences';
import { socket, socketUrl } from '../client';
import { getState, update } from './store';
import { addPosts, removePost, syncChannelPosts } from './posts';
import { applyReactionAdded, applyReactionRemoved } from './reactions';
import { loadThreadTotals, onThreadFollowChanged, onThreadRead, onThreadUpdated } from './threads';
import { loadCategories } from './categories';
import { dropScheduled, keepScheduled, loadScheduled } from './scheduled';
import { dropDraft, keepDrafts, loadDrafts } from './drafts';
import { keepCustomEmoji } from './emoji';
import { applyAckAdded, applyAckRemoved } from './postExtras';
import { loadBookmarks } from './bookmarks';
import { applyMemberNotifyProps, fetchMyChannel, loadChannels, loadTeams, removeChannel, viewChannel } from './channels';
import { addUsers, ensureUsers, loadStatuses } from './users';
import { setPreferences } from './session';
import { onOpenDialog } from './interactive';
import { forgetMembership, notifyOfPost, type Posted } from '../notifications/desktop';

const TYPING_MS = 5000;
/** How long start-up waits for the first `hello` before loading without it. */
const HELLO_WAIT_MS = 3000;
let listening = false;
let helloWaiters: Array<() => void> = [];
/** Start-up went on without a `hello`: what was posted before the late one came is fetched. */
let loadedWithoutHello = false;

/**
 * Opens the WebSocket; resolves at the server's `hello` (the connection is registered, so every
 * later post comes as an event) or after HELLO_WAIT_MS when it does not connect.
 */
export function connectSocket(): Promise<void> {
  const hello = new Promise<void>((resolve) => {
    helloWaiters.push(resolve);
    setTimeout(() => {
      if (helloWaiters.includes(resolve)) loadedWithoutHello = true;
      resolve();
    }, HELLO_WAIT_MS);
  });
  if (!listening) {
    listening = true;
    socket.addMessageListener(onEvent);
    socket.addFirstConnectListener(() => update(() => ({ connection: 'connected' })));
    socket.addReconnectListener(() => {
      update(() => ({ connection: 'connected' }));
      void resync();
    });
    socket.addMissedMessageListener(() => void resync());
    socket.addCloseListener(() => update(() => ({ connection: 'reconnecting' })));
  }
  socket.initialize(socketUrl());
  return hello;
}

export function disconnectSocket(): void {
  socket.close();
}

/** Catches up after a reconnect: channels, categories, unread counts, and posts of every loaded channel. */
export async function resync(): Promise<void> {
  const s = getState();
  const current = s.currentChannelId;
  const loaded = Object.keys(s.channelPosts);
  try {
    const team = s.currentTeamId;
    await Promise.all([loadTeams(), team && loadChannels(team), team && loadCategories(team), team && loadThreadTotals(team), team && loadScheduled(team), team && loadDrafts(team)]);
    if (current) await syncChannelPosts(current);
    await Promise.all(loaded.filter((id) => id !== current).map((id) => syncChannelPosts(id)));
    await loadStatuses(Object.keys(getState().statuses));
    if (current && document.visibilityState === 'visible') await viewChannel(current);
  } catch (e) {
    console.error('resync failed', e);
  }
}

function parse<T>(value: unknown): T | null {
  if (typeof value !== 'string') return (value as T) ?? null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

/** The team a thread event is about: a direct message's threads belong to every team. */
const threadTeam = (msg: WebSocketMessage) => msg.broadcast.team_id || getState().currentTeamId;

/** What a `posted` (or `persistent_notification_triggered`) event says beside the post. */
function postedEvent(post: Post, data: Record<string, unknown>): Posted {
  return {
    post,
    mentions: parse<string[]>(data.mentions) ?? [],
    teamId: String(data.team_id ?? ''),
    channelType: String(data.channel_type ?? ''),
    channelDisplayName: String(data.channel_display_name ?? ''),
    senderName: String(data.sender_name ?? ''),
    otherFile: data.otherFile === 'true',
    image: data.image === 'true',
  };
}

function onEvent(msg: WebSocketMessage): void {
  const data = msg.data as Record<string, unknown>;
  const me = getState().me?.id ?? '';
  switch (msg.event as string) {
    case 'hello':
      update(() => ({ connection: 'connected' }));
      helloWaiters.forEach((resolve) => resolve());
      helloWaiters = [];
      // A socket slower than the start-up's wait: the posts and counts loaded without it may
      // miss what happened before it connected.
      if (loadedWithoutHello) {
        loadedWithoutHello = false;
        void resync();
      }
      return;
    case 'posted': {
      const post = parse<Post>(data.post);
      if (post) void onPosted(postedEvent(post, data));
      return;
    }
    case 'persistent_notification_triggered': {
      // An urgent post's notification again: the server decided it, the desktop rules still apply.
      const post = parse<Post>(data.post);
      if (post) notifyOfPost(postedEvent(post, data)).catch((e) => console.error('desktop notification failed', e));
      return;
    }
    case 'post_edited': {
      const post = parse<Post>(data.post);
      if (post) addPosts([post], false);
      return;
    }
    case 'post_deleted': {
      const post = parse<Post>(data.post);
      if (post) removePost(post.id);
      return;
    }
    case 'reaction_added':
    case 'reaction_removed': {
      const reaction = parse<Reaction>(data.reaction);
      if (reaction) (msg.event === 'reaction_added' ? applyReactionAdded : applyReactionRemoved)(reaction);
      return;
    }
    case 'thread_updated': {
      const thread = parse<UserThreadWithPost>(data.thread);
      if (thread) onThreadUpdated(threadTeam(msg), thread);
      return;
    }
    case 'thread_read_changed':
      onThreadRead(threadTeam(msg), String(data.thread_id ?? ''), Number(data.unread_replies ?? 0), Number(data.unread_mentions ?? 0), Number(data.timestamp ?? 0));
      return;
    case 'thread_follow_changed':
      onThreadFollowChanged(threadTeam(msg), String(data.thread_id ?? ''), Boolean(data.state));
      return;
    case 'sidebar_category_created':
    case 'sidebar_category_updated':
    case 'sidebar_category_deleted':
    case 'sidebar_category_order_updated': {
      const teamId = msg.broadcast.team_id || getState().currentTeamId;
      if (getState().categories[teamId] || teamId === getState().currentTeamId) void loadCategories(teamId);
      return;
    }
    case 'scheduled_post_created':
    case 'scheduled_post_updated':
    case 'scheduled_post_deleted': {
      const scheduled = parse<ScheduledPost>(data.scheduledPost);
      if (scheduled) (msg.event === 'scheduled_post_deleted' ? dropScheduled(scheduled.id) : keepScheduled([scheduled]));
      return;
    }
    case 'draft_created':
    case 'draft_updated':
    case 'draft_deleted': {
      const draft = parse<Draft>(data.draft);
      if (draft) (msg.event === 'draft_deleted' ? dropDraft(draft.channel_id, draft.root_id ?? '') : keepDrafts([draft]));
      return;
    }
    case 'emoji_added': {
      const emoji = parse<CustomEmoji>(data.emoji);
      if (emoji) keepCustomEmoji([emoji]);
      return;
    }
    case 'post_acknowledgement_added':
    case 'post_acknowledgement_removed': {
      const ack = parse<PostAcknowledgement>(data.acknowledgement);
      if (ack) (msg.event === 'post_acknowledgement_added' ? applyAckAdded : applyAckRemoved)(ack);
      return;
    }
    case 'open_dialog':
      onOpenDialog(data.dialog);
      return;
    case 'ephemeral_message': {
      const post = parse<Post>(data.post);
      if (post) void withAuthor(post);
      return;
    }
    case 'channel_bookmark_created':
    case 'channel_bookmark_updated':
    case 'channel_bookmark_deleted':
    case 'channel_bookmark_sorted': {
      const channelId = msg.broadcast.channel_id;
      if (getState().bookmarks[channelId]) loadBookmarks(channelId).catch(() => undefined);
      return;
    }
    case 'typing': {
      const userId = String(data.user_id ?? '');
      const channelId = msg.broadcast.channel_id;
      if (userId && userId !== me) setTyping(channelId, userId, Date.now() + TYPING_MS);
      return;
    }
    case 'status_change':
      update((s) => ({ statuses: { ...s.statuses, [String(data.user_id)]: String(data.status) } }));
      return;
    case 'user_updated': {
      const user = parse<UserProfile>(data.user);
      if (user) addUsers([user]);
      if (user && user.id === me) update((s) => ({ me: { ...s.me, ...user } }));
      return;
    }
    case 'channel_created':
    case 'direct_added':
    case 'group_added': {
      const channelId = String(data.channel_id ?? msg.broadcast.channel_id ?? '');
      if (channelId) void fetchMyChannel(channelId).catch(() => undefined);
      return;
    }
    case 'user_added': {
      const channelId = msg.broadcast.channel_id;
      if (data.user_id === me && channelId) void fetchMyChannel(channelId).catch(() => undefined);
      else if (data.user_id) void ensureUsers([String(data.user_id)]);
      return;
    }
    case 'user_removed': {
      const channelId = String(data.channel_id ?? msg.broadcast.channel_id ?? '');
      if ((data.user_id ?? msg.broadcast.user_id) === me && channelId) removeChannel(channelId);
      return;
    }
    case 'channel_updated': {
      const channel = parse<ServerChannel>(data.channel);
      if (channel) update((s) => ({ channels: { ...s.channels, [channel.id]: { ...s.channels[channel.id], ...channel } } }));
      return;
    }
    case 'channel_deleted': {
      const channelId = String(data.channel_id ?? '');
      const deleteAt = Number(data.delete_at ?? Date.now());
      update((s) =>
        s.channels[channelId] ? { channels: { ...s.channels, [channelId]: { ...s.channels[channelId], delete_at: deleteAt } } } : {},
      );
      return;
    }
    case 'channel_member_updated': {
      const member = parse<ChannelMembership>(data.channelMember);
      if (member?.user_id === me) {
        forgetMembership(member.channel_id);
        applyMemberNotifyProps(member.channel_id, member.notify_props);
      }
      return;
    }
    case 'channel_viewed': {
      const channelId = String(data.channel_id ?? '');
      const s = getState();
      if (s.myMembers[channelId] && s.channels[channelId]) {
        update((st) => ({
          myMembers: {
            ...st.myMembers,
            [channelId]: { ...st.myMembers[channelId], msg_count: st.channels[channelId].total_msg_count, mention_count: 0 },
          },
        }));
      }
      return;
    }
    case 'added_to_team':
    case 'leave_team':
    case 'update_team':
      void loadTeams();
      return;
    case 'config_changed': {
      // The client configuration after an admin's save: the banner, the sign-in methods …
      const config = parse<Record<string, string>>(data.config);
      if (config) update(() => ({ config }));
      return;
    }
    case 'preferences_changed':
    case 'preference_changed': {
      const prefs = parse<PreferenceType[] | PreferenceType>(data.preferences ?? data.preference);
      if (prefs) setPreferences(Array.isArray(prefs) ? prefs : [prefs]);
      return;
    }
  }
}

/** A message only this user sees (a reminder's confirmation, a command's answer): shown, never stored. */
async function withAuthor(post: Post): Promise<void> {
  await ensureUsers([post.user_id]);
  addPosts([post], true);
}

async function onPosted(event: Posted): Promise<void> {
  const { post, mentions, teamId } = event;
  await ensureUsers([post.user_id]);
  setTyping(post.channel_id, post.user_id, 0);
  const s = getState();
  const me = s.me?.id ?? '';
  const known = Boolean(s.posts[post.id]);
  const mentioned = mentions.includes(me) && post.user_id !== me;
  addPosts([post], true);
  if (known) return;
  notifyOfPost(event).catch((e) => console.error('desktop notification failed', e));
  if (!s.myMembers[post.channel_id]) {
    // Another team's channel (counted on its team badge) or a channel new to this user.
    if (teamId && teamId !== s.currentTeamId) bumpTeamUnreads(teamId, mentioned);
    else void fetchMyChannel(post.channel_id).catch(() => undefined);
    return;
  }
  const viewing = post.channel_id === s.currentChannelId && document.visibilityState === 'visible';
  update((st) => {
    const channel = st.channels[post.channel_id];
    const member = st.myMembers[post.channel_id];
    if (!channel || !member) return {};
    const total = channel.total_msg_count + 1;
    const readIt = viewing || post.user_id === me;
    return {
      channels: { ...st.channels, [channel.id]: { ...channel, total_msg_count: total, last_post_at: post.create_at } },
      myMembers: {
        ...st.myMembers,
        [channel.id]: {
          ...member,
          msg_count: readIt ? total : member.msg_count,
          mention_count: member.mention_count + (mentioned && !viewing ? 1 : 0),
        },
      },
    };
  });
  if (teamId && teamId !== s.currentTeamId) bumpTeamUnreads(teamId, mentioned);
  if (viewing && post.user_id !== me) void viewChannel(post.channel_id);
}

function bumpTeamUnreads(teamId: string, mentioned: boolean): void {
  update((s) => {
    const unreads = s.teamUnreads[teamId] ?? { msg: 0, mention: 0 };
    return { teamUnreads: { ...s.teamUnreads, [teamId]: { msg: unreads.msg + 1, mention: unreads.mention + (mentioned ? 1 : 0) } } };
  });
}

const typingTimers = new Map<string, number>();

function setTyping(channelId: string, userId: string, until: number): void {
  const key = `${channelId}:${userId}`;
  window.clearTimeout(typingTimers.get(key));
  update((s) => {
    const channel = { ...(s.typing[channelId] ?? {}) };
    if (until > Date.now()) channel[userId] = until;
    else delete channel[userId];
    return { typing: { ...s.typing, [channelId]: channel } };
  });
  if (until > Date.now()) typingTimers.set(key, window.setTimeout(() => setTyping(channelId, userId, 0), until - Date.now()));
}

let lastTypingSent = 0;

/** Tells the channel this user is typing, at most every few seconds. */
export function sendTyping(channelId: string, parentId: string): void {
  const now = Date.now();
  if (now - lastTypingSent < 3000) return;
  lastTypingSent = now;
  socket.userTyping(channelId, parentId);
}
