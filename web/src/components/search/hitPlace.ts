// Where a search hit is: its channel's name and the permalink that opens it there.
import { channelLabel } from '../../state/channels';
import { permalinkPath } from '../../state/router';
import type { State } from '../../state/store';

export function hitChannelName(s: State, channelId: string): string {
  const channel = s.channels[channelId];
  return channel ? channelLabel(s, channel) : '';
}

/** The permalink under the channel's own team (direct messages: the current team). */
export function hitPermalink(s: State, channelId: string, postId: string): string {
  const team = s.teams[s.channels[channelId]?.team_id ?? ''] ?? s.teams[s.currentTeamId];
  return permalinkPath(team?.name ?? '', postId);
}

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const hitTime = (time: number) => whenFormat.format(time);
