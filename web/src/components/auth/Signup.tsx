import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../client';
import { signup } from '../../state/session';
import { navigate } from '../../state/router';
import { useStore } from '../../state/store';
import { AuthCard } from './AuthCard';

export function Signup() {
  const firstRun = useStore((s) => s.config.NoAccounts === 'true');
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signup(email.trim(), username.trim().toLowerCase(), password);
      navigate('/', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={firstRun ? 'Create the administrator account' : 'Create your account'}>
      {firstRun && <p className="notice" role="note">This is the first account on this server: it becomes the system administrator.</p>}
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
