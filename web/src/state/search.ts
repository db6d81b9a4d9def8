// Search, as Mattermost's web app runs it: messages and files of one team (or, for recent
// mentions, messages of every team), 20 hits a page, newest first. The posts go into the store
// like any other (so edits and reactions show live); the panel keeps their order and the words
// each matched, for highlighting.
import type { Post } from '@mattermost/types/posts';
import type { FileSearchResultItem } from '@mattermost/types/files';
import type { UserProfile } from '@mattermost/types/users';
import { client, errorMessage } from '../client';
import { getState, update, type Search, type SearchHits } from './store';
import { addPosts } from './posts';
import { ensureUsers } from './users';
import { fetchMyChannel } from './channels';
import { rememberSearch } from './recentSearches';

/** Mattermost's WEBAPP_SEARCH_PER_PAGE. */
const SEARCH_PER_PAGE = 20;

/** Counts searches started, so that a page answering a replaced search is dropped. */
let generation = 0;

const emptyHits = (): SearchHits => ({ ids: [], page: -1, atEnd: false, loading: false, error: '' });

/** Searches `terms` in `teamId` and shows the results in the right-hand panel. */
export function runSearch(teamId: string, terms: string): void {
  const me = getState().me;
  if (me) rememberSearch(me.id, teamId, terms);
  start({ terms, mentions: false, teamId });
}

/**
 * Recent mentions: Mattermost's `showMentions`, an "or" search of every team for the user's
 * mention keys (its custom keys, the first name when it notifies, and "@username" quoted so a
 * username with dashes stays whole), without @channel, @all and @here.
 */
export function showRecentMentions(): void {
  const me = getState().me;
  if (!me) return;
  start({ terms: mentionTerms(me), mentions: true, teamId: '' });
}

function mentionTerms(me: UserProfile): string {
  const props = me.notify_props ?? ({} as UserProfile['notify_props']);
  const keys = (props.mention_keys ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (props.first_name === 'true' && me.first_name) keys.push(me.first_name);
  const username = `@${me.username}`;
  const terms = keys.filter((k) => !['@channel', '@all', '@here', username].includes(k));
  return [...terms, `"${username}"`].join(' ');
}

function start(what: Pick<Search, 'terms' | 'mentions' | 'teamId'>): void {
  generation += 1;
  const search: Search = { ...what, tab: 'messages', posts: { ...emptyHits(), matches: {} }, files: { ...emptyHits(), infos: {} } };
  update(() => ({ search, panel: { kind: 'search' } }));
  void loadMorePosts();
  // The current team's files are searched alongside, as Mattermost does; the recent mentions
  // panel shows messages only.
  if (!what.mentions) void loadMoreFiles();
}

export function setSearchTab(tab: Search['tab']): void {
  update((s) => (s.search ? { search: { ...s.search, tab } } : {}));
}

export function closeSearch(): void {
  update((s) => ({ search: null, panel: s.panel?.kind === 'search' ? null : s.panel }));
}

/** Seconds east of UTC, for on:, before: and after: (the browser's zone, as Mattermost's default). */
const timeZoneOffset = () => -new Date().getTimezoneOffset() * 60;

function params(search: Search, page: number) {
  return {
    terms: search.terms,
    is_or_search: search.mentions,
    // The server still names this setting in the client config; @mattermost/types no longer does.
    include_deleted_channels: (getState().config as Record<string, unknown>).ExperimentalViewArchivedChannels === 'true',
    time_zone_offset: timeZoneOffset(),
    page,
    per_page: SEARCH_PER_PAGE,
  };
}

/**
 * Runs the next page of `kind` for the search on screen, unless one is on its way or the last
 * came back short; `load` fetches it and gives the ids found and what to merge into the hits.
 */
async function nextPage<K extends 'posts' | 'files'>(
  kind: K,
  load: (search: Search, page: number) => Promise<{ ids: string[]; merge: (hits: Search[K]) => Search[K] }>,
): Promise<void> {
  const search = getState().search;
  if (!search || search[kind].loading || search[kind].atEnd) return;
  const mine = generation;
  const patch = (change: (hits: Search[K]) => Search[K]) =>
    update((s) => (s.search && mine === generation ? { search: { ...s.search, [kind]: change(s.search[kind]) } } : {}));
  const page = search[kind].page + 1;
  patch((hits) => ({ ...hits, loading: true, error: '' }));
  try {
    const { ids, merge } = await load(search, page);
    patch((hits) => ({
      ...merge(hits),
      ids: [...hits.ids, ...ids.filter((id) => !hits.ids.includes(id))],
      page,
      // A short page is the last: Mattermost asks once more for an empty one, which a button need not.
      atEnd: ids.length < SEARCH_PER_PAGE,
      loading: false,
    }));
  } catch (e) {
    patch((hits) => ({ ...hits, loading: false, error: errorMessage(e) }));
  }
}

export function loadMorePosts(): Promise<void> {
  return nextPage('posts', async (search, page) => {
    const results = await client.searchPostsWithParams(search.teamId, params(search, page));
    const posts = results.order.map((id) => results.posts[id]).filter(Boolean);
    await Promise.all([ensureUsers(posts.map((p) => p.user_id)), ensureChannels(posts)]);
    addPosts(posts, false);
    return { ids: results.order, merge: (hits) => ({ ...hits, matches: { ...hits.matches, ...results.matches } }) };
  });
}

export function loadMoreFiles(): Promise<void> {
  return nextPage('files', async (search, page) => {
    const results = await client.searchFilesWithParams(search.teamId, params(search, page));
    // Sent as a JSON object, whatever the library's type says.
    const infos = results.file_infos as unknown as Record<string, FileSearchResultItem>;
    await ensureChannels(Object.values(infos));
    return { ids: results.order, merge: (hits) => ({ ...hits, infos: { ...hits.infos, ...infos } }) };
  });
}

/** The channels hits are in, so each can be named (Mattermost's getMissingChannelsFromPosts). */
async function ensureChannels(items: Array<Pick<Post, 'channel_id'>>): Promise<void> {
  const { channels, myMembers } = getState();
  const missing = [...new Set(items.map((i) => i.channel_id))].filter((id) => id && !(channels[id] && myMembers[id]));
  await Promise.all(missing.map((id) => fetchMyChannel(id).catch(() => undefined)));
}
