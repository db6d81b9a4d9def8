// Mattermost's confirmation before @all, @channel or @here reaches a big channel
// (TeamSettings.EnableConfirmNotificationsToChannel): more than five other members are asked
// about first, with how many people, and in how many timezones, the message would reach.
import { client } from '../../client';
import { getState } from '../../state/store';
import { Dialog } from '../modals/Dialog';
import { NOTIFY_ALL_MEMBERS, channelWideMention, type ChannelWideMention } from '../../notifications/channelWide';

export type ChannelWideWarning = { mention: ChannelWideMention; others: number; timezones: number };

/** What to ask before sending `message` to `channelId`, or null when it may go at once. */
export async function channelWideWarning(channelId: string, message: string): Promise<ChannelWideWarning | null> {
  const state = getState();
  if (state.config.EnableConfirmNotificationsToChannel !== 'true') return null;
  const type = state.channels[channelId]?.type;
  if (type === 'D' || type === 'G') return null;
  const mention = channelWideMention(message);
  if (!mention) return null;
  const stats = await client.getChannelStats(channelId);
  const others = stats.member_count - 1;
  if (others <= NOTIFY_ALL_MEMBERS) return null;
  const timezones = mention === 'here' ? 0 : (await client.getChannelTimezones(channelId)).length;
  return { mention, others, timezones };
}

export function ConfirmChannelWide({ warning, onConfirm, onCancel }: { warning: ChannelWideWarning; onConfirm: () => void; onCancel: () => void }) {
  const { mention, others, timezones } = warning;
  const reach =
    mention === 'here'
      ? `up to ${others} other people`
      : `${others} people${timezones > 1 ? ` in ${timezones} timezones` : ''}`;
  return (
    <Dialog title="Confirm sending notifications to entire channel" onClose={onCancel}>
      <p>
        By using <strong>@{mention}</strong> you are about to send notifications to {reach}. Are you sure you want to do this?
      </p>
      <div className="row-actions">
        <button className="primary" onClick={onConfirm} autoFocus>Confirm</button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </Dialog>
  );
}
