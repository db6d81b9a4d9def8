// Desktop notifications: on each new post, decides (rules.ts) whether the signed-in user is told,
// then shows it through the browser's Notification API and plays its sound, as Mattermost's web
// client does (actions/notification_actions, utils/notifications).
import type { Post } from '@mattermost/types/posts';
import type { ChannelMembership } from '@mattermost/types/channels';
import type { UserProfile } from '@mattermost/types/users';
import { client } from '../client';
import { getState, type State } from '../state/store';
import { channelUrl } from '../state/channels';
import { collapsedThreadsOn } from '../state/threads';
import { navigate, parseRoute, permalinkPath } from '../state/router';
import { skipReason } from './rules';
import { DEFAULT_SOUND, ding } from './sounds';
import { appIcon } from './badge';

/** What a `posted` event says beside the post. */
export type Posted = {
  post: Post;
  mentions: string[];
  teamId: string;
  channelType: string;
  channelDisplayName: string;
  senderName: string;
  otherFile: boolean;
  image: boolean;
};

/** How long a notification stays before it closes by itself (Mattermost's 5 s). */
const SHOWN_MS = 5000;

export const notificationsSupported = () => typeof Notification !== 'undefined';

/** Asks the browser for the permission (once it is answered the browser asks no more). */
export async function askForNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/** Tells the user of the post if their settings say so. */
export async function notifyOfPost(event: Posted): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const { post } = event;
  const s = getState();
  const member = await membership(post.channel_id);
  const crtReply = collapsedThreadsOn(s) && Boolean(post.root_id);
  const mentioned = event.mentions.includes(me.id);
  const route = parseRoute(window.location.pathname);
  const threadOpen = (s.panel?.kind === 'thread' && s.panel.rootId === post.root_id) || (route.name === 'threads' && route.threadId === post.root_id);
  const input = {
    post,
    me,
    channelType: s.channels[post.channel_id]?.type ?? event.channelType,
    member,
    status: s.statuses[me.id] ?? 'online',
    mentioned,
    crtReply,
    followsThread: true,
    focused: document.hasFocus(),
    channelOpen: s.currentChannelId === post.channel_id && route.name !== 'threads',
    threadOpen,
  };
  // Following can only add a reason to tell: the thread's state is asked for only when it decides.
  if (skipReason(input)) return;
  if (crtReply && !mentioned && skipReason({ ...input, followsThread: await follows(event.teamId, post.root_id) })) return;

  const sound = soundOf(member, me);
  show(title(s, event, crtReply), body(s, event), url(getState(), event, crtReply), !sound);
  if (sound) ding(sound);
}

function show(title: string, body: string, url: string, silent: boolean): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag: body, silent, icon: appIcon() });
  notification.onclick = () => {
    window.focus();
    navigate(url);
    notification.close();
  };
  window.setTimeout(() => notification.close(), SHOWN_MS);
}

/** Memberships of channels outside the loaded teams, fetched once (a notification needs its levels). */
const otherMembers = new Map<string, ChannelMembership | null>();

async function membership(channelId: string): Promise<ChannelMembership | undefined> {
  const known = getState().myMembers[channelId];
  if (known) return known;
  if (!otherMembers.has(channelId)) {
    otherMembers.set(channelId, await client.getMyChannelMember(channelId).catch(() => null));
  }
  return otherMembers.get(channelId) ?? undefined;
}

/** A membership changed on the server: the next post fetches it again. */
export function forgetMembership(channelId: string): void {
  otherMembers.delete(channelId);
}

/** Threads the user had no part in when asked; a thread they join later is in the store. */
const unfollowed = new Set<string>();

async function follows(teamId: string, rootId: string): Promise<boolean> {
  const s = getState();
  const known = s.threads[rootId];
  if (known) return known.is_following !== false;
  if (unfollowed.has(rootId) || !s.me) return false;
  // The server answers only for a thread the user follows.
  const thread = await client.getUserThread(s.me.id, teamId || s.currentTeamId, rootId).catch(() => null);
  if (!thread) unfollowed.add(rootId);
  return Boolean(thread);
}

/** The channel's sound setting, else the user's (`isDesktopSoundEnabled`, `getDesktopNotificationSound`); '' for none. */
function soundOf(member: ChannelMembership | undefined, me: UserProfile): string {
  const channelProps = (member?.notify_props ?? {}) as Partial<Record<string, string>>;
  const userProps = (me.notify_props ?? {}) as Partial<Record<string, string>>;
  const channelOn = channelProps.desktop_sound;
  const on = channelOn === 'on' || (channelOn !== 'off' && userProps.desktop_sound !== 'false');
  if (!on) return '';
  const pick = (name: string | undefined) => (name && name !== 'default' ? name : '');
  return pick(channelProps.desktop_notification_sound) || pick(userProps.desktop_notification_sound) || DEFAULT_SOUND;
}

function title(s: State, event: Posted, crtReply: boolean): string {
  const channel = s.channels[event.post.channel_id];
  const type = channel?.type ?? event.channelType;
  const name = type === 'D' ? 'Direct Message' : channel?.display_name || event.channelDisplayName;
  return crtReply ? `Reply in ${name}` : name;
}

function body(s: State, event: Posted): string {
  const { post } = event;
  const override = post.props?.override_username;
  const author = typeof override === 'string' && override && s.config.EnablePostUsernameOverride === 'true'
    ? override
    : s.users[post.user_id]?.username ?? (event.senderName.replace(/^@/, '') || 'Someone');
  const attachments = Array.isArray(post.props?.attachments) ? (post.props.attachments as Record<string, unknown>[]) : [];
  const fallback = attachments.map((a) => String(a.fallback || a.pretext || a.text || '')).find(Boolean) ?? '';
  const text = plainText(post.message || fallback);
  if (text) return `@${author}: ${text}`;
  if (event.image) return `@${author} uploaded an image`;
  if (event.otherFile) return `@${author} uploaded a file`;
  return `@${author} posted a message`;
}

/** The message without its markdown marks, as a notification shows text only. */
function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>)\s*/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function url(s: State, event: Posted, crtReply: boolean): string {
  const channel = s.channels[event.post.channel_id];
  const team = s.teams[event.teamId || channel?.team_id || ''] ?? s.teams[s.currentTeamId];
  const teamName = team?.name ?? '';
  if (crtReply || !channel) return permalinkPath(teamName, event.post.id);
  return channelUrl(s, teamName, channel);
}
