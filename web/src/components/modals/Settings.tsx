import { useState } from 'react';
import { client, errorMessage } from '../../client';
import { Avatar } from '../common/Avatar';
import { update, useStore, prefKey } from '../../state/store';
import { addUsers } from '../../state/users';
import { savePreferences } from '../../state/session';
import { themeFromPreference, themePreference } from '../../theme';
import { Dialog } from './Dialog';
import { useSubmit } from './useSubmit';
import { NotificationSettings } from './NotificationSettings';
import { MfaSettings } from './MfaSettings';

type Tab = 'profile' | 'notifications' | 'password' | 'security' | 'display';
const TABS: [Tab, string][] = [['profile', 'Profile'], ['notifications', 'Notifications'], ['password', 'Password'], ['security', 'Security'], ['display', 'Display']];

export function Settings() {
  const [tab, setTab] = useState<Tab>('profile');
  return (
    <Dialog title="Settings" className="settings">
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {TABS.map(([id, label]) => (
          <button key={id} role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} onClick={() => setTab(id)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'profile' && <PictureForm />}
        {tab === 'profile' && <ProfileForm />}
        {tab === 'notifications' && <NotificationSettings />}
        {tab === 'password' && <PasswordForm />}
        {tab === 'security' && <MfaSettings />}
        {tab === 'display' && <DisplayForm />}
        {tab === 'display' && <LinkPreviewsSetting />}
      </div>
    </Dialog>
  );
}

/** The profile picture: upload one (the server crops it to a square) or go back to the generated one. */
function PictureForm() {
  const me = useStore((s) => s.me);
  const [error, setError] = useState('');
  async function change(action: (userId: string) => Promise<unknown>) {
    if (!me) return;
    try {
      await action(me.id);
      const user = await client.getMe();
      addUsers([user]);
      update(() => ({ me: user }));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  if (!me) return null;
  return (
    <div className="picture-form">
      <Avatar userId={me.id} size={64} />
      <label className="button-like">
        Upload picture
        <input
          type="file"
          accept="image/png,image/jpeg,image/gif,image/bmp,image/webp"
          className="visually-hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void change((id) => client.uploadProfileImage(id, file));
          }}
        />
      </label>
      {me.last_picture_update > 0 && (
        <button type="button" onClick={() => void change((id) => client.setDefaultProfileImage(id))}>Remove picture</button>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}

function ProfileForm() {
  const me = useStore((s) => s.me);
  const [first, setFirst] = useState(me?.first_name ?? '');
  const [last, setLast] = useState(me?.last_name ?? '');
  const [nickname, setNickname] = useState(me?.nickname ?? '');
  const { onSubmit, status } = useSubmit(async () => {
    const user = await client.patchMe({ first_name: first.trim(), last_name: last.trim(), nickname: nickname.trim() });
    addUsers([user]);
    update(() => ({ me: user }));
  });
  return (
    <form onSubmit={onSubmit}>
      <label htmlFor="set-first">First name</label>
      <input id="set-first" value={first} onChange={(e) => setFirst(e.target.value)} maxLength={64} />
      <label htmlFor="set-last">Last name</label>
      <input id="set-last" value={last} onChange={(e) => setLast(e.target.value)} maxLength={64} />
      <label htmlFor="set-nick">Nickname</label>
      <input id="set-nick" value={nickname} onChange={(e) => setNickname(e.target.value)} maxLength={64} />
      {status}
      <button type="submit" className="primary">Save</button>
    </form>
  );
}

function PasswordForm() {
  const me = useStore((s) => s.me);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { onSubmit, status } = useSubmit(async () => {
    if (!me) return;
    await client.updateUserPassword(me.id, current, next);
    setCurrent('');
    setNext('');
  });
  return (
    <form onSubmit={onSubmit}>
      <input type="text" autoComplete="username" value={me?.username ?? ''} readOnly hidden />
      <label htmlFor="set-current">Current password</label>
      <input id="set-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      <label htmlFor="set-new">New password</label>
      <input id="set-new" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={8} />
      {status}
      <button type="submit" className="primary">Change password</button>
    </form>
  );
}

function DisplayForm() {
  const saved = useStore((s) => themeFromPreference(s.preferences[prefKey('theme', '')]));
  const choose = (theme: 'light' | 'dark') => void savePreferences([{ category: 'theme', name: '', value: themePreference(theme) }]);
  return (
    <fieldset className="radio-group">
      <legend>Theme</legend>
      <label><input type="radio" name="theme" checked={saved === 'light'} onChange={() => choose('light')} /> Light</label>
      <label><input type="radio" name="theme" checked={saved === 'dark'} onChange={() => choose('dark')} /> Dark</label>
    </fieldset>
  );
}

/** Mattermost's "Website link previews" (`display_settings` / `link_previews`), offered when the server makes them. */
function LinkPreviewsSetting() {
  const offered = useStore((s) => s.config.EnableLinkPreviews === 'true');
  const on = useStore((s) => s.preferences[prefKey('display_settings', 'link_previews')] !== 'false');
  if (!offered) return null;
  const choose = (value: boolean) => void savePreferences([{ category: 'display_settings', name: 'link_previews', value: String(value) }]);
  return (
    <fieldset className="radio-group">
      <legend>Website link previews</legend>
      <label><input type="radio" name="link-previews" checked={on} onChange={() => choose(true)} /> On</label>
      <label><input type="radio" name="link-previews" checked={!on} onChange={() => choose(false)} /> Off</label>
    </fieldset>
  );
}
