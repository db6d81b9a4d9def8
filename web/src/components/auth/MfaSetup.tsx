import { useEffect, useState, type FormEvent } from 'react';
import { errorMessage } from '../../client';
import { activate, generateSecret } from '../../state/mfa';
import { useStore } from '../../state/store';
import { AuthCard } from './AuthCard';

/**
 * Scan the QR code (or type the secret) into an authenticator app, then prove it with a code.
 * `onDone` runs once MFA is on.
 */
export function MfaSetupForm({ onDone }: { onDone: () => void | Promise<void> }) {
  const me = useStore((s) => s.me);
  const [secret, setSecret] = useState<{ secret: string; qr_code: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!me) return;
    generateSecret(me.id).then(setSecret, (e) => setError(errorMessage(e)));
  }, [me?.id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!me) return;
    setBusy(true);
    setError('');
    try {
      await activate(me.id, code);
      await onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="mfa-setup" aria-describedby={error ? 'mfa-error' : undefined}>
      <p>Scan the QR code with an authenticator app (or enter the secret), then type the code it shows.</p>
      {secret && (
        <>
          <img src={`data:image/png;base64,${secret.qr_code}`} alt="MFA QR code" width={200} height={200} />
          <p>
            Secret: <code aria-label="MFA secret">{secret.secret}</code>
          </p>
        </>
      )}
      <label htmlFor="mfa-code">MFA code</label>
      <input id="mfa-code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
      {error && <p id="mfa-error" className="form-error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy || !secret}>{busy ? 'Saving…' : 'Activate MFA'}</button>
    </form>
  );
}

/** The page an enforced user lands on after login (Mattermost's /mfa/setup). */
export function MfaSetupPage({ onDone }: { onDone: () => void | Promise<void> }) {
  return (
    <AuthCard title="Multi-factor authentication setup">
      <p className="notice" role="note">This server requires multi-factor authentication for your account.</p>
      <MfaSetupForm onDone={onDone} />
    </AuthCard>
  );
}
