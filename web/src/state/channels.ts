// Teams and channels the user belongs to, unread counts, favorites and navigation between them.
import type { ServerChannel, ChannelMembership } from '@mattermost/types/channels';
import type { Team, TeamMembership } from '@mattermost/types/teams';
import { client } from '../client';
import { byId, getState, prefKey, update, type State } from './store';
import { ensureUsers } from './users';
import { channelPath, dmPath, navigate } from './router';
import { sidebarSections } from './categories';
import { landingChannel } from '../landing';

export async function loadTeams(): Promise<void> {
  const [teams, members, unreads] = await Promise.all([
    client.getMyTeams(),
    client.getMyTeamMembers(),
    client.getMyTeamUnreads(),
  ]);
  update(() => ({
    teams: byId({}, teams.filter((t) => t.delete_at === 0)),
    teamMembers: Object.fromEntries(
      members.filter((m: TeamMembership) => m.delete_at === 0).map((m) => [m.team_id, m]),
    ),
    teamUnreads: Object.fromEntries(
      unreads.map((u) => [u.team_id, { msg: u.msg_count, mention: u.mention_count }]),
    ),
  }));
}

export async function refreshTeamUnreads(): Promise<void> {
  const unreads = await client.getMyTeamUnreads().catch(() => []);
  update(() => ({
    teamUnreads: Object.fromEntries(unreads.map((u) => [u.team_id, { msg: u.msg_count, mention: u.mention_count }])),
  }));
}

/** My channels (including DMs and group messages) and memberships of one team. */
export async function loadChannels(teamId: string): Promise<void> {
  const [channels, members] = await Promise.all([
    client.getMyChannels(teamId),
    client.getMyChannelMembers(teamId),
  ]);
  addChannels(channels, members);
  const me = getState().me?.id;
  const others = channels
    .filter((c) => c.type === 'D')
    .map((c) => c.name.split('__').find((id) => id !== me) ?? me ?? '');
  await ensureUsers(others);
}

export function addChannels(channels: ServerChannel[], members: ChannelMembership[]): void {
  update((s) => ({
    channels: byId(s.channels, channels),
    myMembers: { ...s.myMembers, ...Object.fromEntries(members.map((m) => [m.channel_id, m])) },
  }));
}

export function removeChannel(channelId: string): void {
  update((s) => {
    const myMembers = { ...s.myMembers };
    delete myMembers[channelId];
    return { myMembers };
  });
}

export async function fetchMyChannel(channelId: string): Promise<void> {
  const [channel, member] = await Promise.all([client.getChannel(channelId), client.getMyChannelMember(channelId)]);
  addChannels([channel], [member]);
  if (channel.type === 'D') {
    const me = getState().me?.id;
    await ensureUsers(channel.name.split('__').filter((id) => id !== me));
  }
}

/** Unread messages show on the channel, unless it is muted (its mentions still do). */
export function isUnread(s: State, channelId: string): boolean {
  const channel = s.channels[channelId];
  const member = s.myMembers[channelId];
  return Boolean(channel && member && channel.total_msg_count > member.msg_count && !isMuted(s, channelId));
}

/** Muted: Mattermost's `mark_unread: mention` (only mentions mark the channel unread). */
export function isMuted(s: State, channelId: string): boolean {
  return s.myMembers[channelId]?.notify_props?.mark_unread === 'mention';
}

/** Merges notify props into the user's membership (`PUT /channels/{id}/members/me/notify_props`). */
export async function updateChannelNotifyProps(channelId: string, props: Partial<ChannelMembership['notify_props']>): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.updateChannelNotifyProps({ ...props, channel_id: channelId, user_id: me.id });
  applyMemberNotifyProps(channelId, props);
}

export function applyMemberNotifyProps(channelId: string, props: Partial<ChannelMembership['notify_props']>): void {
  update((s) => {
    const member = s.myMembers[channelId];
    if (!member) return {};
    return { myMembers: { ...s.myMembers, [channelId]: { ...member, notify_props: { ...member.notify_props, ...props } } } };
  });
}

export function channelLabel(s: State, channel: ServerChannel): string {
  if (channel.type === 'D') {
    const other = channel.name.split('__').find((id) => id !== s.me?.id) ?? s.me?.id ?? '';
    return s.users[other]?.username ?? channel.display_name ?? '…';
  }
  if (channel.type === 'G') {
    const me = s.me?.username;
    return channel.display_name
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== me)
      .join(', ');
  }
  return channel.display_name;
}

export function dmPartnerId(s: State, channel: ServerChannel): string {
  return channel.name.split('__').find((id) => id !== s.me?.id) ?? s.me?.id ?? '';
}

export function channelUrl(s: State, teamName: string, channel: ServerChannel): string {
  if (channel.type === 'D') {
    const other = s.users[dmPartnerId(s, channel)];
    if (other) return dmPath(teamName, other.username);
  }
  if (channel.type === 'D' || channel.type === 'G') return `/${teamName}/messages/${channel.name}`;
  return channelPath(teamName, channel.name);
}

export function isFavorite(s: State, channelId: string): boolean {
  return s.preferences[prefKey('favorite_channel', channelId)] === 'true';
}

/** Flat sidebar order, for Alt+Up/Down. */
export function sidebarOrder(s: State, teamId: string): ServerChannel[] {
  return sidebarSections(s, teamId).flatMap((section) => (section.category.collapsed ? [] : section.channels));
}

export async function setFavorite(channelId: string, favorite: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const pref = { user_id: me.id, category: 'favorite_channel', name: channelId, value: 'true' };
  update((s) => ({
    preferences: { ...s.preferences, [prefKey(pref.category, pref.name)]: favorite ? 'true' : 'false' },
  }));
  if (favorite) await client.savePreferences(me.id, [pref]);
  else await client.deletePreferences(me.id, [pref]);
}

/** Marks a channel read on the server and here; remembers where the unread part began. */
export async function viewChannel(channelId: string): Promise<void> {
  const s = getState();
  const member = s.myMembers[channelId];
  const channel = s.channels[channelId];
  if (!member || !channel) return;
  const hadUnread = channel.total_msg_count > member.msg_count || member.mention_count > 0;
  update((st) => ({
    myMembers: {
      ...st.myMembers,
      [channelId]: { ...member, msg_count: channel.total_msg_count, mention_count: 0, last_viewed_at: Date.now() },
    },
    teamUnreads: channel.team_id && st.teamUnreads[channel.team_id]
      ? {
          ...st.teamUnreads,
          [channel.team_id]: {
            msg: st.teamUnreads[channel.team_id].msg,
            mention: Math.max(0, st.teamUnreads[channel.team_id].mention - member.mention_count),
          },
        }
      : st.teamUnreads,
  }));
  if (hadUnread || document.visibilityState === 'visible') {
    await client.viewMyChannel(channelId).catch(() => undefined);
  }
}

export async function createChannel(team: Team, displayName: string, name: string, type: 'O' | 'P', purpose: string) {
  const channel = await client.createChannel({ team_id: team.id, display_name: displayName, name, type, purpose });
  await fetchMyChannel(channel.id);
  navigate(channelPath(team.name, channel.name));
  return channel;
}

export async function joinChannel(team: Team, channel: ServerChannel): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.addToChannel(me.id, channel.id);
  await fetchMyChannel(channel.id);
  navigate(channelPath(team.name, channel.name));
}

export async function leaveChannel(team: Team, channelId: string): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.removeFromChannel(me.id, channelId);
  removeChannel(channelId);
  const s = getState();
  navigate(channelPath(team.name, landingChannel(Object.values(s.channels), (id) => Boolean(s.myMembers[id]), team.id)));
}

export async function openDirectMessage(team: Team, userIds: string[]): Promise<void> {
  const me = getState().me;
  if (!me || userIds.length === 0) return;
  const channel =
    userIds.length === 1
      ? await client.createDirectChannel([me.id, userIds[0]])
      : await client.createGroupChannel([me.id, ...userIds]);
  await ensureUsers(userIds);
  await fetchMyChannel(channel.id);
  const s = getState();
  navigate(channelUrl(s, team.name, s.channels[channel.id] ?? channel));
}

export async function createTeam(displayName: string, name: string, openToAll = true): Promise<Team> {
  const team = await client.createTeam({ display_name: displayName, name, type: 'O', allow_open_invite: openToAll } as Team);
  await loadTeams();
  return team;
}

export async function joinTeam(team: Team): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.addToTeam(team.id, me.id);
  await loadTeams();
}

/** URL-safe channel or team name from a display name, as Mattermost suggests them. */
export function slugify(displayName: string): string {
  return displayName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
