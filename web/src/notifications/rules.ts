// Whether a new post raises a desktop notification for the signed-in user, by the rules of
// Mattermost's web client (`shouldSkipNotification` in actions/notification_actions): pure, from
// what the `posted` event and the store hold; `desktop.ts` gathers the input and shows it.
import type { Post } from '@mattermost/types/posts';
import type { ChannelMembership } from '@mattermost/types/channels';
import type { UserProfile } from '@mattermost/types/users';

export type DesktopInput = {
  post: Post;
  me: UserProfile;
  /** `D`, `G`, `O` or `P`. */
  channelType: string;
  /** The user's membership of the post's channel (undefined: not known to be a member). */
  member: ChannelMembership | undefined;
  /** The user's status: `online`, `away`, `offline`, `dnd` or `ooo`. */
  status: string;
  /** The event's `mentions` (or, for a GM, the mention keys found in the text) name the user. */
  mentioned: boolean;
  /** A reply while collapsed threads are on: it notifies followers, not the channel. */
  crtReply: boolean;
  /** The user follows the reply's thread (a mentioned user does: a mention makes them follow). */
  followsThread: boolean;
  /** The window has the focus. */
  focused: boolean;
  /** The post's channel is the one open. */
  channelOpen: boolean;
  /** The post's thread is the one open. */
  threadOpen: boolean;
};

export type SkipReason =
  | 'own_post'
  | 'system_message'
  | 'no_member'
  | 'channel_muted'
  | 'user_status'
  | 'notify_level_none'
  | 'not_explicitly_mentioned'
  | 'not_mentioned'
  | 'not_following_thread'
  | 'channel_is_open'
  | 'thread_is_open';

/** The reason the post raises no notification, or null when it raises one. */
export function skipReason(input: DesktopInput): SkipReason | null {
  const { post, me, member } = input;
  if (post.user_id === me.id && post.props?.from_webhook !== 'true') return 'own_post';
  if (isSystemMessage(post) && !addsMe(post, me.id)) return 'system_message';
  if (!member) return 'no_member';
  if (post.props?.force_notification) return null;
  if (member.notify_props?.mark_unread === 'mention') return 'channel_muted';
  if (input.status === 'dnd' || input.status === 'ooo') return 'user_status';

  const level = desktopLevel(input.channelType, member, me);
  // The server's `followers` (CRTNotifiers.Desktop): who hears of a reply as a follower.
  const follower = input.crtReply && input.followsThread && hearsOfReplies(member, me, input.mentioned);
  const mentioned = input.mentioned || follower;
  if (level === 'none') return 'notify_level_none';
  if (input.channelType === 'G' && level === 'mention') {
    if (!mentionsExplicitly(post.message, me, member)) return 'not_explicitly_mentioned';
  } else if (level === 'mention' && !mentioned && input.channelType !== 'D') {
    return 'not_mentioned';
  } else if (input.crtReply && level === 'all' && !follower) {
    return 'not_following_thread';
  }

  if (input.focused) {
    if (input.crtReply && input.threadOpen) return 'thread_is_open';
    if (!input.crtReply && input.channelOpen) return 'channel_is_open';
  }
  return null;
}

/** The channel's desktop level, else the user's; a GM counts as `all` for a `mention` user. */
function desktopLevel(channelType: string, member: ChannelMembership, me: UserProfile): string {
  const channelLevel = member.notify_props?.desktop || 'default';
  const userLevel = me.notify_props?.desktop || 'all';
  if (channelLevel !== 'default') return channelLevel;
  if (channelType === 'G' && userLevel === 'mention') return 'all';
  return userLevel;
}

/**
 * Whether a follower hears of a thread's replies (`shouldUserNotifyCRT` and its channel
 * counterpart): the channel's levels when it overrides the user's, else the user's; not at
 * `none`, and then when mentioned, at `all`, or with `desktop_threads` at `all`.
 */
function hearsOfReplies(member: ChannelMembership, me: UserProfile, mentioned: boolean): boolean {
  const channelProps = member.notify_props as Partial<Record<string, string>>;
  const overrides = (channelProps.desktop || 'default') !== 'default';
  const desktop = overrides ? channelProps.desktop : me.notify_props?.desktop || 'all';
  const channelThreads = channelProps.desktop_threads;
  const threads = overrides && channelThreads && channelThreads !== 'default' ? channelThreads : me.notify_props?.desktop_threads || 'all';
  return desktop !== 'none' && (mentioned || desktop === 'all' || threads === 'all');
}

const isSystemMessage = (post: Post) => post.type?.startsWith('system_') ?? false;

/** "X added you to the channel" is the one system message that notifies. */
const addsMe = (post: Post, myId: string) => post.type === 'system_add_to_channel' && post.props?.addedUserId === myId;

const CHANNEL_WIDE = ['@channel', '@all', '@here'];

/** The user's mention keys (`getCurrentUserMentionKeys`): @username, their words, first name, channel-wide. */
function mentionKeys(me: UserProfile): { key: string; caseSensitive: boolean }[] {
  const props = me.notify_props ?? ({} as UserProfile['notify_props']);
  const keys = (props.mention_keys ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((key) => ({ key, caseSensitive: false }));
  if (props.first_name === 'true' && me.first_name) keys.push({ key: me.first_name, caseSensitive: true });
  if (props.channel !== 'false') keys.push(...CHANNEL_WIDE.map((key) => ({ key, caseSensitive: false })));
  keys.push({ key: `@${me.username}`, caseSensitive: false });
  return keys;
}

/** Whether the text names one of the user's mention keys, outside code (a GM at `mention` level). */
function mentionsExplicitly(text: string, me: UserProfile, member: ChannelMembership): boolean {
  const ignoreProp = member.notify_props?.ignore_channel_mentions || 'default';
  const ignoreChannelWide = ignoreProp === 'on' || (ignoreProp === 'default' && me.notify_props?.channel === 'false');
  const prose = text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`]*`/g, ' ');
  return mentionKeys(me).some(({ key, caseSensitive }) => {
    if (ignoreChannelWide && CHANNEL_WIDE.includes(key)) return false;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|\\W)(${escaped})(\\b|_+\\b)`, caseSensitive ? '' : 'i').test(prose);
  });
}
