import { useEffect, useState, type FormEvent } from 'react';
import { client, errorMessage } from '../../client';
import { invitationInLink, signup } from '../../state/session';
import { navigate } from '../../state/router';
import { useStore } from '../../state/store';
import { AuthCard } from './AuthCard';

/** What an emailed invitation's link shows before the account exists (its `d` parameter). */
function invitedTo(search: string): { email: string; team: string } {
  try {
    const d = JSON.parse(new URLSearchParams(search).get('d') ?? '{}') as { email?: string; display_name?: string };
    return { email: d.email ?? '', team: d.display_name ?? '' };
  } catch {
    return { email: '', team: '' };
  }
}

export function Signup() {
  const firstRun = useStore((s) => s.config.NoAccounts === 'true');
  const [invitation] = useState(() => invitationInLink(window.location.search));
  const [invited] = useState(() => invitedTo(window.location.search));
  const [team, setTeam] = useState(invited.team);
  const [email, setEmail] = useState(invited.email);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  // A team's invite link names only the team: the server says which.
  useEffect(() => {
    if (!invitation.inviteId) return;
    client.getTeamInviteInfo(invitation.inviteId).then((info) => setTeam(info.display_name), (err) => setError(errorMessage(err)));
  }, [invitation.inviteId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      // Signed in, the app moves on to the user's team (or the team choice).
      await signup(email.trim(), username.trim().toLowerCase(), password, invitation);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={firstRun ? 'Create the administrator account' : 'Create your account'}>
      {firstRun && <p className="notice" role="note">This is the first account on this server: it becomes the system administrator.</p>}
      {team && <p className="notice" role="note">You are invited to join <strong>{team}</strong>.</p>}
      <form onSubmit={submit}>
        <label htmlFor="signup-email">Email</label>
        <input id="signup-email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        <label htmlFor="signup-username">Username</label>
        <input id="signup-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required pattern="[A-Za-z][A-Za-z0-9._\-]{2,21}" title="3 to 22 characters: letters, numbers, '.', '-' and '_', starting with a letter" />
        <label htmlFor="signup-password">Password</label>
        <input id="signup-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p className="auth-alt">
        Already have an account? <a href="/login" onClick={(e) => { e.preventDefault(); navigate('/login'); }}>Log in</a>
      </p>
    </AuthCard>
  );
}
