// The desktop notification rules (src/notifications/rules.ts) as a table of cases, one per rule
// of Mattermost's web client (`shouldSkipNotification`). rules.ts imports only types, so
// TypeScript's transpiler alone turns it into a module node can load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/notifications/rules.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { skipReason } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const ME = 'me00000000000000000000000a';
const ALICE = 'alice000000000000000000000';

/** The user at Mattermost's defaults, with `props` over them. */
const me = (props = {}, extra = {}) => ({
  id: ME,
  username: 'bob',
  first_name: 'Robert',
  notify_props: { desktop: 'mention', desktop_threads: 'all', channel: 'true', first_name: 'false', mention_keys: '', ...props },
  ...extra,
});
const member = (props = {}) => ({ channel_id: 'c1', user_id: ME, notify_props: { desktop: 'default', mark_unread: 'all', ignore_channel_mentions: 'default', ...props } });
const post = (fields = {}) => ({ id: 'p1', channel_id: 'c1', user_id: ALICE, root_id: '', type: '', message: 'hello', props: {}, ...fields });

/** A new post in an open channel the user is not looking at, from someone else, not mentioning them. */
const base = {
  post: post(),
  me: me(),
  channelType: 'O',
  member: member(),
  status: 'online',
  mentioned: false,
  crtReply: false,
  followsThread: false,
  focused: true,
  channelOpen: false,
  threadOpen: false,
};

const cases = [
  // Whose post, and what kind
  ['own post', { post: post({ user_id: ME }), me: me({ desktop: 'all' }) }, 'own_post'],
  ['own post through a webhook notifies', { post: post({ user_id: ME, props: { from_webhook: 'true' } }), me: me({ desktop: 'all' }) }, null],
  ['system message', { post: post({ type: 'system_join_channel' }), me: me({ desktop: 'all' }) }, 'system_message'],
  ['being added to the channel notifies', { post: post({ type: 'system_add_to_channel', props: { addedUserId: ME } }), mentioned: true }, null],
  ['someone else added to the channel', { post: post({ type: 'system_add_to_channel', props: { addedUserId: ALICE } }), me: me({ desktop: 'all' }) }, 'system_message'],
  ['not a member', { member: undefined, mentioned: true }, 'no_member'],
  // Mute, status, forced
  ['muted channel, even when mentioned', { member: member({ mark_unread: 'mention' }), mentioned: true }, 'channel_muted'],
  ['force_notification passes mute and status', { post: post({ props: { force_notification: true } }), member: member({ mark_unread: 'mention' }), status: 'dnd' }, null],
  ['do not disturb', { status: 'dnd', mentioned: true }, 'user_status'],
  ['out of office', { status: 'ooo', mentioned: true }, 'user_status'],
  ['away still notifies', { status: 'away', mentioned: true }, null],
  // Levels: the channel's over the user's
  ['user at none', { me: me({ desktop: 'none' }), mentioned: true }, 'notify_level_none'],
  ['channel at none over a user at all', { me: me({ desktop: 'all' }), member: member({ desktop: 'none' }) }, 'notify_level_none'],
  ['channel at all over a user at mention', { member: member({ desktop: 'all' }) }, null],
  ['user at all', { me: me({ desktop: 'all' }) }, null],
  ['user with no level set counts as all', { me: me({ desktop: '' }) }, null],
  ['user at mention, not mentioned', {}, 'not_mentioned'],
  ['user at mention, mentioned', { mentioned: true }, null],
  ['user at mention, a direct message', { channelType: 'D' }, null],
  // Group messages
  ['group message: a user at mention counts as all', { channelType: 'G' }, null],
  ['group message at a channel mention level, no mention key', { channelType: 'G', member: member({ desktop: 'mention' }), mentioned: true }, 'not_explicitly_mentioned'],
  ['group message at mention level, @username', { channelType: 'G', member: member({ desktop: 'mention' }), post: post({ message: 'ping @BOB please' }) }, null],
  ['group message at mention level, a keyword', { channelType: 'G', member: member({ desktop: 'mention' }), me: me({ mention_keys: 'rocket,launch' }), post: post({ message: 'the Rocket is ready' }) }, null],
  ['group message at mention level, first name is case-sensitive', { channelType: 'G', member: member({ desktop: 'mention' }), me: me({ first_name: 'true' }), post: post({ message: 'robert, look' }) }, 'not_explicitly_mentioned'],
  ['group message at mention level, first name', { channelType: 'G', member: member({ desktop: 'mention' }), me: me({ first_name: 'true' }), post: post({ message: 'Robert, look' }) }, null],
  ['group message at mention level, @channel', { channelType: 'G', member: member({ desktop: 'mention' }), post: post({ message: '@channel lunch' }) }, null],
  ['group message at mention level, @channel ignored by the channel', { channelType: 'G', member: member({ desktop: 'mention', ignore_channel_mentions: 'on' }), post: post({ message: '@channel lunch' }) }, 'not_explicitly_mentioned'],
  ['group message at mention level, @channel ignored by the account', { channelType: 'G', member: member({ desktop: 'mention' }), me: me({ channel: 'false' }), post: post({ message: '@here lunch' }) }, 'not_explicitly_mentioned'],
  ['group message at mention level, a mention in code is none', { channelType: 'G', member: member({ desktop: 'mention' }), post: post({ message: 'see `@bob`' }) }, 'not_explicitly_mentioned'],
  // Collapsed threads: replies tell followers
  ['reply at all, not following', { crtReply: true, me: me({ desktop: 'all' }) }, 'not_following_thread'],
  ['reply at all, following', { crtReply: true, me: me({ desktop: 'all' }), followsThread: true }, null],
  ['reply at mention, following, thread replies on', { crtReply: true, followsThread: true }, null],
  ['reply at mention, following, thread replies off', { crtReply: true, followsThread: true, me: me({ desktop_threads: 'mention' }) }, 'not_mentioned'],
  ['reply at mention, mentioned, thread replies off', { crtReply: true, followsThread: true, mentioned: true, me: me({ desktop_threads: 'mention' }) }, null],
  ['reply at mention, not following', { crtReply: true }, 'not_mentioned'],
  ['reply, the channel at mention with its thread replies on', { crtReply: true, followsThread: true, me: me({ desktop: 'all', desktop_threads: 'mention' }), member: member({ desktop: 'mention', desktop_threads: 'all' }) }, null],
  ['reply, the channel at mention with its thread replies off', { crtReply: true, followsThread: true, member: member({ desktop: 'mention', desktop_threads: 'mention' }) }, 'not_mentioned'],
  // Where the user is looking
  ['the open channel in a focused window', { mentioned: true, channelOpen: true }, 'channel_is_open'],
  ['the open channel in a window without the focus', { mentioned: true, channelOpen: true, focused: false }, null],
  ['a reply whose thread is open', { crtReply: true, mentioned: true, followsThread: true, threadOpen: true }, 'thread_is_open'],
  ['a reply in the open channel but a closed thread', { crtReply: true, mentioned: true, followsThread: true, channelOpen: true }, null],
];

for (const [name, input, expected] of cases) {
  test(name, () => assert.equal(skipReason({ ...base, ...input }), expected));
}
