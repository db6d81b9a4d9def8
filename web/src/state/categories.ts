// Sidebar categories as the server keeps them (favorites, channels, direct messages and the
// user's own), their channel order and sorting, moving a channel between them, and the
// sidebar_category_* events.
import type { ChannelCategory, OrderedChannelCategories } from '@mattermost/types/channel_categories';
import type { ServerChannel } from '@mattermost/types/channels';
import { client } from '../client';
import { getState, update, type State } from './store';
import { channelLabel, isFavorite } from './channels';

export type SidebarSection = { category: ChannelCategory; channels: ServerChannel[] };

export async function loadCategories(teamId: string): Promise<void> {
  const me = getState().me;
  if (!me || !teamId) return;
  const categories = await client.getChannelCategories(me.id, teamId);
  update((s) => ({ categories: { ...s.categories, [teamId]: categories } }));
}

function myChannels(s: State, teamId: string): ServerChannel[] {
  return Object.values(s.channels).filter(
    (c) => s.myMembers[c.id] && c.delete_at === 0 && (c.team_id === teamId || c.team_id === ''),
  );
}

const isDirect = (c: ServerChannel) => c.type === 'D' || c.type === 'G';

/** Until the server's categories arrive: the three default ones, from the preferences. */
function defaultCategories(s: State, teamId: string): OrderedChannelCategories {
  const mine = myChannels(s, teamId);
  const make = (type: ChannelCategory['type'], display_name: string, channels: ServerChannel[]) =>
    ({ id: `${type}_${teamId}`, user_id: s.me?.id ?? '', team_id: teamId, type, display_name, sorting: '', muted: false, collapsed: false, channel_ids: channels.map((c) => c.id) }) as ChannelCategory;
  const favorites = mine.filter((c) => isFavorite(s, c.id));
  const rest = mine.filter((c) => !isFavorite(s, c.id));
  const categories = [
    make('favorites', 'Favorites', favorites),
    make('channels', 'Channels', rest.filter((c) => !isDirect(c))),
    make('direct_messages', 'Direct Messages', rest.filter(isDirect)),
  ];
  return { categories, order: categories.map((c) => c.id) };
}

/** The sidebar's sections for a team, in display order, each sorted as its category says. */
export function sidebarSections(s: State, teamId: string): SidebarSection[] {
  const { categories, order } = s.categories[teamId] ?? defaultCategories(s, teamId);
  const mine = myChannels(s, teamId);
  const placed = new Set(categories.flatMap((c) => c.channel_ids));
  // A channel joined since the categories were read goes where the server will put it.
  const unplaced = mine.filter((c) => !placed.has(c.id));
  const byLabel = (a: ServerChannel, b: ServerChannel) => channelLabel(s, a).localeCompare(channelLabel(s, b));
  const byRecent = (a: ServerChannel, b: ServerChannel) => b.last_post_at - a.last_post_at;
  const byId = new Map(categories.map((c) => [c.id, c]));
  return order.flatMap((id) => {
    const category = byId.get(id);
    if (!category) return [];
    const extra = category.type === 'channels' ? unplaced.filter((c) => !isDirect(c)) : category.type === 'direct_messages' ? unplaced.filter(isDirect) : [];
    const channels = [...category.channel_ids.map((cid) => s.channels[cid]).filter((c) => c && s.myMembers[c.id] && c.delete_at === 0), ...extra];
    const sorting = category.sorting || (category.type === 'direct_messages' ? 'recent' : 'alpha');
    if (sorting === 'alpha') channels.sort(byLabel);
    else if (sorting === 'recent') channels.sort(byRecent);
    return [{ category, channels }];
  });
}

/** Moves a channel to the top of another category (drag and drop), here at once and then on the server. */
export async function moveChannel(teamId: string, channelId: string, toCategoryId: string): Promise<void> {
  const me = getState().me;
  const ordered = getState().categories[teamId];
  if (!me || !ordered) return;
  const from = ordered.categories.find((c) => c.channel_ids.includes(channelId));
  const to = ordered.categories.find((c) => c.id === toCategoryId);
  if (!to || from?.id === to.id) return;
  const changed = [
    ...(from ? [{ ...from, channel_ids: from.channel_ids.filter((id) => id !== channelId) }] : []),
    { ...to, channel_ids: [channelId, ...to.channel_ids.filter((id) => id !== channelId)] },
  ];
  keep(teamId, changed);
  keep(teamId, await client.updateChannelCategories(me.id, teamId, changed));
}

export async function createCategory(teamId: string, displayName: string): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.createChannelCategory(me.id, teamId, { display_name: displayName, team_id: teamId, user_id: me.id, type: 'custom', channel_ids: [] });
  await loadCategories(teamId);
}

export async function setCollapsed(teamId: string, category: ChannelCategory, collapsed: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  keep(teamId, [{ ...category, collapsed }]);
  keep(teamId, [await client.updateChannelCategory(me.id, teamId, { ...category, collapsed })]);
}

function keep(teamId: string, changed: ChannelCategory[]): void {
  update((s) => {
    const ordered = s.categories[teamId];
    if (!ordered) return {};
    const byId = new Map(changed.map((c) => [c.id, c]));
    return { categories: { ...s.categories, [teamId]: { ...ordered, categories: ordered.categories.map((c) => byId.get(c.id) ?? c) } } };
  });
}
