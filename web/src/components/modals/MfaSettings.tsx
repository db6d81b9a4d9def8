import { useState } from 'react';
import { errorMessage } from '../../client';
import { deactivate } from '../../state/mfa';
import { useStore } from '../../state/store';
import { MfaSetupForm } from '../auth/MfaSetup';

/** Settings → Security: multi-factor authentication on or off, as the server allows. */
export function MfaSettings() {
  const me = useStore((s) => s.me);
  const config = useStore((s) => s.config);
  const [settingUp, setSettingUp] = useState(false);
  const [error, setError] = useState('');
  if (!me) return null;
  if (config.EnableMultifactorAuthentication !== 'true') {
    return <p>Multi-factor authentication is not enabled on this server.</p>;
  }
  if (me.mfa_active) {
    const enforced = config.EnforceMultifactorAuthentication === 'true';
    const remove = () => deactivate(me.id).catch((e) => setError(errorMessage(e)));
    return (
      <section aria-label="Multi-factor authentication">
        <p>Multi-factor authentication is on: logging in asks for a code from your authenticator app.</p>
        {enforced ? <p>This server requires it, so it cannot be removed.</p> : <button type="button" onClick={remove}>Remove MFA</button>}
        {error && <p className="form-error" role="alert">{error}</p>}
      </section>
    );
  }
  return (
    <section aria-label="Multi-factor authentication">
      <p>Multi-factor authentication is off.</p>
      {settingUp ? <MfaSetupForm onDone={() => setSettingUp(false)} /> : <button type="button" className="primary" onClick={() => setSettingUp(true)}>Add MFA</button>}
    </section>
  );
}
