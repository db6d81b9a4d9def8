// Which messages tell a whole channel (@all, @channel, @here), as Mattermost's client finds
// them. Pure, so web/tests can load it without the rest of the client.

/** Mattermost's NOTIFY_ALL_MEMBERS: more other members than this ask for a confirmation. */
export const NOTIFY_ALL_MEMBERS = 5;
/** Not inside a word, an address or a code span. */
const CHANNEL_WIDE = /(?:^|[^\w@`])@(all|channel|here)(?![\w-]|\.\w)/i;

export type ChannelWideMention = 'all' | 'channel' | 'here';

/** The mention in `message` that tells everyone in the channel, outside code spans and blocks. */
export function channelWideMention(message: string): ChannelWideMention | null {
  const prose = message.replace(/```[\s\S]*?(?:```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const match = CHANNEL_WIDE.exec(prose);
  return match ? (match[1].toLowerCase() as ChannelWideMention) : null;
}
