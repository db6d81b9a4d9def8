import { useState, type FormEvent } from 'react';
import { errorId, errorMessage } from '../../client';
import { login } from '../../state/session';
import { useStore } from '../../state/store';
import { navigate } from '../../state/router';
import { AuthCard } from './AuthCard';
import { loginFieldLabel, ssoButtons, ssoError } from './signInMethods';

export function Login() {
  const config = useStore((s) => s.config);
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState('');
  const [needsMfa, setNeedsMfa] = useState(false);
  const [error, setError] = useState(() => ssoError(window.location.search));
  const [busy, setBusy] = useState(false);
  const firstRun = config.NoAccounts === 'true';
  const canSignUp = firstRun || (config.EnableOpenServer === 'true' && config.EnableSignUpWithEmail !== 'false');
  // The first account is made with a password; until then only the form shows.
  const fieldLabel = firstRun ? 'Email or username' : loginFieldLabel(config);
  const sso = firstRun ? [] : ssoButtons(config, sessionStorage.getItem('utmost:redirect') || '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(loginId.trim(), password, mfaToken.trim());
      navigate('/', { replace: true });
    } catch (err) {
      const id = errorId(err);
      if (id.includes('mfa') && !needsMfa) {
        setNeedsMfa(true);
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={needsMfa ? 'Enter your MFA code' : 'Log in'}>
      {firstRun && (
        <p className="notice" role="note">
          No accounts exist yet. <a href="/signup_user_complete" onClick={(e) => { e.preventDefault(); navigate('/signup_user_complete'); }}>Create the first account</a>; it becomes the system administrator.
        </p>
      )}
      {fieldLabel !== null && (
      <form onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
        {!needsMfa ? (
          <>
            <label htmlFor="login-id">{fieldLabel}</label>
            <input id="login-id" name="username" autoComplete="username" value={loginId} onChange={(e) => setLoginId(e.target.value)} required autoFocus />
            <label htmlFor="login-password">Password</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </>
        ) : (
          <>
            <label htmlFor="login-mfa">MFA code</label>
            <input id="login-mfa" inputMode="numeric" autoComplete="one-time-code" value={mfaToken} onChange={(e) => setMfaToken(e.target.value)} required autoFocus />
          </>
        )}
        {error && <p id="login-error" className="form-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
      )}
      {fieldLabel === null && error && <p id="login-error" className="form-error" role="alert">{error}</p>}
      {sso.length > 0 && !needsMfa && (
        <div className="sso-buttons" aria-label="Single sign-on">
          {fieldLabel !== null && <p className="auth-alt">or log in with</p>}
          {sso.map((b) => (
            <a key={b.service} className="button sso-button" href={b.href} style={b.color ? { backgroundColor: b.color, color: '#fff' } : undefined}>
              {b.label}
            </a>
          ))}
        </div>
      )}
      {canSignUp && !firstRun && (
        <p className="auth-alt">
          No account? <a href="/signup_user_complete" onClick={(e) => { e.preventDefault(); navigate('/signup_user_complete'); }}>Create one</a>
        </p>
      )}
    </AuthCard>
  );
}
