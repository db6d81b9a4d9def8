// Inviting people to the team: the team's invite link to copy, and invitations by email,
// as members or (for those who may) as guests of chosen channels. Each address gets its own
// answer (`?graceful=true`), so one refused address does not stop the others.
import { useMemo, useState, type FormEvent } from 'react';
import type { Team } from '@mattermost/types/teams';
import { client, errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { isSystemAdmin } from '../../state/users';
import { Dialog } from './Dialog';
import { addresses } from '../../addresses';

type Outcome = { email: string; error: { message: string } | null };

export function InvitePeople({ team }: { team: Team }) {
  const config = useStore((s) => s.config);
  const me = useStore((s) => s.me);
  const allChannels = useStore((s) => s.channels);
  const myMembers = useStore((s) => s.myMembers);
  // The team's channels the inviter is in: the ones a guest may be invited to.
  const channels = useMemo(
    () =>
      Object.values(allChannels)
        .filter((c) => c.team_id === team.id && (c.type === 'O' || c.type === 'P') && c.delete_at === 0 && myMembers[c.id])
        .sort((a, b) => a.display_name.localeCompare(b.display_name)),
    [allChannels, myMembers, team.id],
  );
  const [typed, setTyped] = useState('');
  const [asGuests, setAsGuests] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState(false);
  const link = team.invite_id ? `${window.location.origin}/signup_user_complete/?id=${team.invite_id}` : '';
  const byEmail = config.EnableEmailInvitations === 'true';
  const guestsAllowed = config.EnableGuestAccounts === 'true' && isSystemAdmin(me);

  async function send(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      const emails = addresses(typed);
      const sent = asGuests
        ? await client.sendEmailGuestInvitesToChannelsGracefully(team.id, picked, emails, '')
        : await client.sendEmailInvitesToTeamGracefully(team.id, emails);
      setOutcomes(sent as Outcome[]);
      setTyped('');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Dialog title={`Invite people to ${team.display_name}`}>
      {link && team.allow_open_invite && (
        <div className="invite-link">
          <label htmlFor="invite-link">Invite link</label>
          <input id="invite-link" value={link} readOnly onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}>{copied ? 'Copied' : 'Copy link'}</button>
        </div>
      )}
      {byEmail ? (
        <form onSubmit={send}>
          <label htmlFor="invite-emails">Email addresses</label>
          <textarea id="invite-emails" value={typed} onChange={(e) => setTyped(e.target.value)} rows={3} placeholder="name@example.com, other@example.com" required />
          {guestsAllowed && (
            <label className="checkbox">
              <input type="checkbox" checked={asGuests} onChange={(e) => setAsGuests(e.target.checked)} /> Invite as guests
            </label>
          )}
          {asGuests && (
            <fieldset>
              <legend>Channels the guests join</legend>
              {channels.map((c) => (
                <label key={c.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={picked.includes(c.id)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked, c.id] : picked.filter((id) => id !== c.id))}
                  />{' '}
                  {c.display_name}
                </label>
              ))}
            </fieldset>
          )}
          {error && <p className="form-error" role="alert">{error}</p>}
          <button type="submit" className="primary" disabled={asGuests && picked.length === 0}>Send invitations</button>
        </form>
      ) : (
        <p className="muted">Invitations by email are off on this server (ServiceSettings.EnableEmailInvitations).</p>
      )}
      {outcomes && (
        <ul className="invite-outcomes" aria-label="Invitations sent">
          {outcomes.map((o) => (
            <li key={o.email}>
              <strong>{o.email}</strong>: {o.error ? <span className="form-error">{o.error.message}</span> : 'invitation sent'}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
