// Settings → Notifications, the sections Mattermost users know (user_settings_notifications):
// desktop, email, mobile push, keywords, reply notifications and automatic replies. Everything is
// the user's notify_props, saved with one `patchMe`, except the email interval, a preference.
import { useState, type ReactNode } from 'react';
import type { UserNotifyProps } from '@mattermost/types/users';
import { client } from '../../client';
import { prefKey, update, useStore, type State } from '../../state/store';
import { addUsers } from '../../state/users';
import { savePreferences } from '../../state/session';
import { collapsedThreadsOn } from '../../state/threads';
import { askForNotifications, notificationsSupported } from '../../notifications/desktop';
import { DEFAULT_SOUND, SOUND_NAMES, playSound } from '../../notifications/sounds';
import { useSubmit } from './useSubmit';

type Props = Record<string, string>;

/** Mattermost's email intervals (seconds), kept in the `notifications`/`email_interval` preference. */
const INTERVAL = { immediately: '30', fifteenMinutes: '900', hour: '3600', never: '0' } as const;

const DEFAULT_AUTO_REPLY = 'Hello, I am out of office and unable to respond to messages.';

/** The interval the user has (`getEmailInterval`): never when email is off; batching's choices only with batching. */
function emailInterval(s: State): string {
  if (s.me?.notify_props?.email === 'false') return INTERVAL.never;
  const saved = s.preferences[prefKey('notifications', 'email_interval')];
  if (s.config.EnableEmailBatching !== 'true') return INTERVAL.immediately;
  return saved === INTERVAL.immediately || saved === INTERVAL.fifteenMinutes || saved === INTERVAL.hour ? saved : INTERVAL.fifteenMinutes;
}

/** The user's notify props with Mattermost's defaults for the ones never saved. */
function withDefaults(props: Partial<UserNotifyProps> | undefined): Props {
  return {
    desktop: 'mention',
    desktop_threads: 'all',
    desktop_sound: 'true',
    desktop_notification_sound: DEFAULT_SOUND,
    email_threads: 'all',
    push: 'mention',
    push_threads: 'all',
    push_status: 'online',
    first_name: 'false',
    channel: 'true',
    mention_keys: '',
    comments: 'never',
    auto_responder_active: 'false',
    auto_responder_message: DEFAULT_AUTO_REPLY,
    ...(props as Props | undefined),
  };
}

export function NotificationSettings() {
  const me = useStore((s) => s.me);
  const config = useStore((s) => s.config);
  const crt = useStore(collapsedThreadsOn);
  const savedInterval = useStore(emailInterval);
  const [props, setProps] = useState<Props>(() => withDefaults(me?.notify_props));
  const [interval, setEmailInterval] = useState(savedInterval);
  const set = (key: string, value: string) => setProps((p) => ({ ...p, [key]: value }));
  const emailOn = config.SendEmailNotifications === 'true';
  const batching = config.EnableEmailBatching === 'true';
  const pushOn = config.SendPushNotifications === 'true';

  const { onSubmit, status } = useSubmit(async () => {
    if (!me) return;
    const notifyProps: Props = { ...props, mention_keys: keywordList(props.mention_keys).join(',') };
    if (emailOn) notifyProps.email = interval === INTERVAL.never ? 'false' : 'true';
    const user = await client.patchMe({ notify_props: notifyProps as unknown as UserNotifyProps });
    addUsers([user]);
    update(() => ({ me: user }));
    if (emailOn && interval !== savedInterval) await savePreferences([{ category: 'notifications', name: 'email_interval', value: interval }]);
  });

  return (
    <form onSubmit={onSubmit} className="notification-settings">
      <Section title="Desktop notifications">
        <PermissionState />
        <Choice name="desktop" value={props.desktop} onChange={(v) => set('desktop', v)} options={[['all', 'For all activity'], ['mention', 'Mentions, direct messages, and group messages'], ['none', 'Nothing']]} />
        {crt && props.desktop === 'mention' && (
          <Check checked={props.desktop_threads === 'all'} onChange={(on) => set('desktop_threads', on ? 'all' : 'mention')}>Notify me about replies to threads I'm following</Check>
        )}
        {props.desktop !== 'none' && (
          <>
            <Check checked={props.desktop_sound === 'true'} onChange={(on) => set('desktop_sound', String(on))}>Message notification sound</Check>
            {props.desktop_sound === 'true' && (
              <div className="inline-field">
                <label htmlFor="desktop-sound">Sound</label>
                <select
                  id="desktop-sound"
                  value={props.desktop_notification_sound}
                  onChange={(e) => {
                    set('desktop_notification_sound', e.target.value);
                    playSound(e.target.value);
                  }}
                >
                  {SOUND_NAMES.map((name) => <option key={name} value={name}>{name}</option>)}
                </select>
              </div>
            )}
          </>
        )}
      </Section>

      <Section title="Email notifications">
        {emailOn ? (
          <>
            <Choice
              name="email-interval"
              value={interval}
              onChange={setEmailInterval}
              options={[
                [INTERVAL.immediately, 'Immediately'],
                ...(batching ? ([[INTERVAL.fifteenMinutes, 'Once every 15 minutes'], [INTERVAL.hour, 'Once every hour']] as const) : []),
                [INTERVAL.never, 'Never'],
              ]}
            />
            {crt && interval !== INTERVAL.never && (
              <Check checked={props.email_threads === 'all'} onChange={(on) => set('email_threads', on ? 'all' : 'mention')}>Notify me about replies to threads I'm following</Check>
            )}
          </>
        ) : (
          <p className="muted">Email notifications are turned off by the system administrator.</p>
        )}
      </Section>

      <Section title="Mobile push notifications">
        {pushOn ? (
          <>
            <Choice name="push" value={props.push} onChange={(v) => set('push', v)} options={[['all', 'For all activity'], ['mention', 'Mentions, direct messages, and group messages'], ['none', 'Nothing']]} />
            {crt && props.push === 'mention' && (
              <Check checked={props.push_threads === 'all'} onChange={(on) => set('push_threads', on ? 'all' : 'mention')}>Notify me about replies to threads I'm following</Check>
            )}
            {props.push !== 'none' && (
              <Choice
                name="push-status"
                legend="Trigger mobile notifications when I am"
                value={props.push_status}
                onChange={(v) => set('push_status', v)}
                options={[['online', 'Online, away or offline'], ['away', 'Away or offline'], ['offline', 'Offline']]}
              />
            )}
          </>
        ) : (
          <p className="muted">Push notifications to mobile devices are turned off by the system administrator.</p>
        )}
      </Section>

      <Section title="Keywords that trigger notifications">
        <Check checked={props.first_name === 'true'} disabled={!me?.first_name} onChange={(on) => set('first_name', String(on))}>
          Your case-sensitive first name{me?.first_name ? ` "${me.first_name}"` : ' (set one in Profile)'}
        </Check>
        <Check checked disabled onChange={() => undefined}>Your non case-sensitive username "{me?.username}"</Check>
        <Check checked={props.channel === 'true'} onChange={(on) => set('channel', String(on))}>Channel-wide mentions "@channel", "@all", "@here"</Check>
        <label className="field">
          Other non case-sensitive words, separated by commas
          <input value={props.mention_keys} onChange={(e) => set('mention_keys', e.target.value)} maxLength={1024} placeholder="release, outage" />
        </label>
      </Section>

      {!crt && (
        <Section title="Reply notifications">
          <Choice
            name="comments"
            value={props.comments}
            onChange={(v) => set('comments', v)}
            options={[['any', 'Threads that I start or participate in'], ['root', 'Threads that I start'], ['never', 'Only when mentioned']]}
          />
        </Section>
      )}

      <Section title="Automatic direct message replies">
        <Check checked={props.auto_responder_active === 'true'} onChange={(on) => set('auto_responder_active', String(on))}>
          Reply to direct messages automatically while I am out of office
        </Check>
        {props.auto_responder_active === 'true' && (
          <label className="field">
            Automatic reply
            <textarea value={props.auto_responder_message} onChange={(e) => set('auto_responder_message', e.target.value)} rows={3} maxLength={200} />
          </label>
        )}
      </Section>

      {status}
      <button type="submit" className="primary">Save</button>
    </form>
  );
}

/** Comma-separated keywords, trimmed, without empties or repeats. */
const keywordList = (text: string) => [...new Set(text.split(',').map((k) => k.trim()).filter(Boolean))];

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="settings-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

function Choice({ name, legend, value, options, onChange }: {
  name: string; legend?: string; value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void;
}) {
  const radios = options.map(([v, label]) => (
    <label key={v}><input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} /> {label}</label>
  ));
  if (!legend) return <div className="radio-group" role="radiogroup">{radios}</div>;
  return (
    <fieldset className="radio-group">
      <legend>{legend}</legend>
      {radios}
    </fieldset>
  );
}

function Check({ checked, disabled, onChange, children }: { checked: boolean; disabled?: boolean; onChange: (on: boolean) => void; children: ReactNode }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} /> {children}
    </label>
  );
}

/** What the browser allows, with the button that asks (a permission request needs a click). */
function PermissionState() {
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : 'unsupported'));
  if (permission === 'granted') return null;
  if (permission === 'unsupported') return <p className="muted">This browser cannot show desktop notifications.</p>;
  if (permission === 'denied') return <p className="muted">The browser blocks notifications from this site: allow them in its site settings.</p>;
  return (
    <p>
      <button type="button" onClick={() => void askForNotifications().then(setPermission)}>Allow desktop notifications</button>
    </p>
  );
}
