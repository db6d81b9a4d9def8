// A channel's notification preferences (Mattermost's channel_notifications_modal): mute, ignore
// channel-wide mentions, and the desktop, push and email levels that override the account's,
// saved as the membership's notify_props.
import { useState, type FormEvent } from 'react';
import type { ChannelMembership } from '@mattermost/types/channels';
import { errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { channelLabel, updateChannelNotifyProps } from '../../state/channels';
import { collapsedThreadsOn } from '../../state/threads';
import { Dialog, closeModal } from './Dialog';

type Props = Record<string, string>;

const LEVELS: Record<string, string> = { all: 'For all activity', mention: 'Mentions, direct messages, and group messages', none: 'Nothing' };

export function ChannelNotifications({ channelId }: { channelId: string }) {
  const channel = useStore((s) => s.channels[channelId]);
  const label = useStore((s) => (channel ? channelLabel(s, channel) : ''));
  const member = useStore((s) => s.myMembers[channelId]);
  const account = useStore((s) => s.me?.notify_props);
  const pushOn = useStore((s) => s.config.SendPushNotifications === 'true');
  const emailOn = useStore((s) => s.config.SendEmailNotifications === 'true');
  const crt = useStore(collapsedThreadsOn);
  const [props, setProps] = useState<Props>(() => current(member));
  const [error, setError] = useState('');
  const set = (key: string, value: string) => setProps((p) => ({ ...p, [key]: value }));
  // `default` follows the account's "channel-wide mentions" keyword setting.
  const ignoresChannelMentions = props.ignore_channel_mentions === 'on' || (props.ignore_channel_mentions === 'default' && account?.channel === 'false');
  const effective = (key: 'desktop' | 'push') => (props[key] === 'default' ? account?.[key] || 'all' : props[key]);

  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      await updateChannelNotifyProps(channelId, props as Partial<ChannelMembership['notify_props']>);
      closeModal();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Dialog title={`Notification preferences for ${label}`} className="settings">
      <form onSubmit={save} className="notification-settings">
        <fieldset className="settings-section">
          <legend>Mute or ignore</legend>
          <label className="checkbox">
            <input type="checkbox" checked={props.mark_unread === 'mention'} onChange={(e) => set('mark_unread', e.target.checked ? 'mention' : 'all')} /> Mute channel
          </label>
          <p className="muted hint">A muted channel sends no desktop, email or push notifications, and shows as unread only when you are mentioned.</p>
          {channel?.type !== 'D' && (
            <label className="checkbox">
              <input type="checkbox" checked={ignoresChannelMentions} onChange={(e) => set('ignore_channel_mentions', e.target.checked ? 'on' : 'off')} /> Ignore mentions for @channel, @here and @all
            </label>
          )}
        </fieldset>

        <LevelChoice title="Desktop notifications" name="desktop" value={props.desktop} account={account?.desktop} onChange={(v) => set('desktop', v)} />
        {crt && effective('desktop') === 'mention' && (
          <label className="checkbox">
            <input type="checkbox" checked={props.desktop_threads === 'all'} onChange={(e) => set('desktop_threads', e.target.checked ? 'all' : 'mention')} /> Notify me on desktop about replies to threads I'm following
          </label>
        )}

        {pushOn && (
          <>
            <LevelChoice title="Mobile push notifications" name="push" value={props.push} account={account?.push} onChange={(v) => set('push', v)} />
            {crt && effective('push') === 'mention' && (
              <label className="checkbox">
                <input type="checkbox" checked={props.push_threads === 'all'} onChange={(e) => set('push_threads', e.target.checked ? 'all' : 'mention')} /> Notify me on mobile about replies to threads I'm following
              </label>
            )}
          </>
        )}

        {emailOn && (
          <fieldset className="settings-section">
            <legend>Email notifications</legend>
            {([['default', `Use my account setting (${account?.email === 'false' ? 'Off' : 'On'})`], ['true', 'On'], ['false', 'Off']] as const).map(([v, text]) => (
              <label key={v} className="checkbox"><input type="radio" name="email" checked={props.email === v} onChange={() => set('email', v)} /> {text}</label>
            ))}
          </fieldset>
        )}

        {crt && channel?.type !== 'D' && channel?.type !== 'G' && (
          <fieldset className="settings-section">
            <legend>Follow threads</legend>
            <label className="checkbox">
              <input type="checkbox" checked={props.channel_auto_follow_threads === 'on'} onChange={(e) => set('channel_auto_follow_threads', e.target.checked ? 'on' : 'off')} /> Automatically follow every new thread in this channel
            </label>
          </fieldset>
        )}

        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary">Save</button>
          <button type="button" onClick={closeModal}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The membership's props with the defaults of a new membership (`GetDefaultChannelNotifyProps`). */
function current(member: ChannelMembership | undefined): Props {
  return {
    desktop: 'default',
    desktop_threads: 'all',
    push: 'default',
    push_threads: 'all',
    email: 'default',
    mark_unread: 'all',
    ignore_channel_mentions: 'default',
    channel_auto_follow_threads: 'off',
    ...(member?.notify_props as Props | undefined),
  };
}

function LevelChoice({ title, name, value, account, onChange }: { title: string; name: string; value: string; account: string | undefined; onChange: (v: string) => void }) {
  const options: [string, string][] = [['default', `Use my account setting (${LEVELS[account || 'all'] ?? account})`], ...Object.entries(LEVELS)];
  return (
    <fieldset className="settings-section">
      <legend>{title}</legend>
      {options.map(([v, text]) => (
        <label key={v} className="checkbox"><input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} /> {text}</label>
      ))}
    </fieldset>
  );
}
