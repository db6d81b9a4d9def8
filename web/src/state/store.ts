// A small store: one immutable state object, `update` to change it, `useStore` to read a slice
// in components. Everything the server sent lives here, keyed by id.
import { useSyncExternalStore } from 'react';
import type { UserProfile } from '@mattermost/types/users';
import type { Team, TeamMembership } from '@mattermost/types/teams';
import type { ChannelMembership, ServerChannel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { ClientConfig } from '@mattermost/types/config';
import type { UserThread } from '@mattermost/types/threads';
import type { OrderedChannelCategories } from '@mattermost/types/channel_categories';
import type { ScheduledPost } from '@mattermost/types/schedule_post';
import type { Draft } from '@mattermost/types/drafts';
import type { CustomEmoji } from '@mattermost/types/emojis';
import type { ChannelBookmark } from '@mattermost/types/channel_bookmarks';
import type { FileInfo, FileSearchResultItem } from '@mattermost/types/files';
import type { OpenDialogRequest } from '../interactive/dialogForm';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** Posts of one channel as loaded so far, oldest first. */
export type ChannelPosts = {
  order: string[];
  /** No older posts on the server. */
  atOldest: boolean;
  loadingOlder: boolean;
  /** A permalink opened a window of older posts: newer ones exist that are not loaded. */
  newerNotLoaded?: boolean;
  loadingNewer?: boolean;
};

export type TeamUnread = { msg: number; mention: number };

/** A file on its way to (or attached from) the server, as the composer shows it. */
export type Upload = {
  clientId: string;
  name: string;
  size: number;
  /** Bytes sent so far. */
  sent: number;
  /** The server's record, once the upload has finished. */
  info: FileInfo | null;
  /** Why the file was refused or the upload failed. */
  error: string;
  /** A local object URL that shows an image before the server has it. */
  previewUrl: string;
};

/** The followed threads of a team as the Threads view shows them, newest reply first. */
export type TeamThreads = { order: string[]; unreadThreads: number; unreadMentions: number; loaded: boolean };

export type Modal =
  | { kind: 'switcher' }
  | { kind: 'browseChannels' }
  | { kind: 'createChannel' }
  | { kind: 'directMessage' }
  | { kind: 'editChannel'; channelId: string; field: 'header' | 'purpose' }
  | { kind: 'settings' }
  | { kind: 'channelNotifications'; channelId: string }
  | { kind: 'profile'; userId: string; x: number; y: number }
  | { kind: 'confirmDelete'; postId: string }
  | { kind: 'lightbox'; postId: string; fileId: string }
  | { kind: 'invitePeople' }
  | { kind: 'interactiveDialog'; request: OpenDialogRequest }
  | null;

export type Panel = { kind: 'thread'; rootId: string } | { kind: 'members' } | { kind: 'saved' } | { kind: 'pinned' } | { kind: 'search' } | null;

/** One page-by-page list of search hits. */
export type SearchHits = { ids: string[]; page: number; atEnd: boolean; loading: boolean; error: string };

/** The search the right-hand panel shows: a typed one, or the user's recent mentions. */
export type Search = {
  terms: string;
  mentions: boolean;
  /** Team searched; '' for every team (recent mentions). */
  teamId: string;
  tab: 'messages' | 'files';
  posts: SearchHits & { matches: Record<string, string[]> };
  files: SearchHits & { infos: Record<string, FileSearchResultItem> };
};

export type State = {
  booted: boolean;
  me: UserProfile | null;
  config: Partial<ClientConfig>;
  teams: Record<string, Team>;
  teamMembers: Record<string, TeamMembership>;
  teamUnreads: Record<string, TeamUnread>;
  channels: Record<string, ServerChannel>;
  myMembers: Record<string, ChannelMembership>;
  users: Record<string, UserProfile>;
  statuses: Record<string, string>;
  posts: Record<string, Post>;
  channelPosts: Record<string, ChannelPosts>;
  threads: Record<string, UserThread>;
  /** team id → the user's sidebar categories there */
  categories: Record<string, OrderedChannelCategories>;
  /** The user's scheduled messages by id. */
  scheduled: Record<string, ScheduledPost>;
  /** "channel id:root id" → the draft kept on the server */
  drafts: Record<string, Draft>;
  /** The server's custom emoji this client has seen, by name. */
  customEmoji: Record<string, CustomEmoji>;
  /** channel id → its live bookmarks */
  bookmarks: Record<string, ChannelBookmark[]>;
  /** "channel id:root id" → the files attached in that composer, in the order chosen */
  uploads: Record<string, Upload[]>;
  teamThreads: Record<string, TeamThreads>;
  /** channel id → user id → time the typing notice expires */
  typing: Record<string, Record<string, number>>;
  /** "category|name" → value */
  preferences: Record<string, string>;
  connection: ConnectionState;
  currentTeamId: string;
  currentChannelId: string;
  panel: Panel;
  /** The search the search panel shows. */
  search: Search | null;
  modal: Modal;
  /** A post to scroll to and highlight (from a permalink). */
  highlightPostId: string;
  /** The member's last_viewed_at when the channel was opened: where the "new messages" line goes. */
  newMessagesSince: Record<string, number>;
};

const initial: State = {
  booted: false,
  me: null,
  config: {},
  teams: {},
  teamMembers: {},
  teamUnreads: {},
  channels: {},
  myMembers: {},
  users: {},
  statuses: {},
  posts: {},
  channelPosts: {},
  threads: {},
  categories: {},
  scheduled: {},
  drafts: {},
  customEmoji: {},
  bookmarks: {},
  uploads: {},
  teamThreads: {},
  typing: {},
  preferences: {},
  connection: 'connecting',
  currentTeamId: '',
  currentChannelId: '',
  panel: null,
  search: null,
  modal: null,
  highlightPostId: '',
  newMessagesSince: {},
};

let state: State = initial;
const listeners = new Set<() => void>();

export function getState(): State {
  return state;
}

export function update(change: (s: State) => Partial<State>): void {
  state = { ...state, ...change(state) };
  listeners.forEach((l) => l());
}

export function reset(): void {
  state = { ...initial, booted: true, config: state.config };
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders when the selected value changes (by identity): select slices, not new objects. */
export function useStore<T>(select: (s: State) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

/** `{...record, [id]: value}` for many values at once. */
export function byId<T extends { id: string }>(record: Record<string, T>, items: T[]): Record<string, T> {
  if (items.length === 0) return record;
  const next = { ...record };
  for (const item of items) next[item.id] = item;
  return next;
}

export const prefKey = (category: string, name: string) => `${category}|${name}`;
