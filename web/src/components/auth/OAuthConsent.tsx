// The consent page of `GET /oauth/authorize` (Mattermost's "<app> would like to access your
// account"): the server serves it when the app is neither trusted nor authorised yet. "Allow"
// posts the request back and follows the redirect the server answers (the app's callback with
// a code); "Deny" returns to the callback with `error=access_denied`.
import { useEffect, useState } from 'react';
import type { OAuthApp } from '@mattermost/types/integrations';
import { client, errorMessage } from '../../client';
import { AuthCard } from './AuthCard';
import { authorizeRequest, deniedRedirect } from '../integrations/integrationsLogic';

export function OAuthConsent() {
  const [request] = useState(() => authorizeRequest(window.location.search));
  const [app, setApp] = useState<OAuthApp | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.getOAuthAppInfo(request.client_id).then(setApp, (e) => setError(errorMessage(e)));
  }, [request.client_id]);

  async function allow() {
    setBusy(true);
    setError('');
    try {
      const answer = (await client.authorizeOAuthApp(
        request.response_type,
        request.client_id,
        request.redirect_uri,
        request.state,
        request.scope,
        undefined,
        request.code_challenge || undefined,
        request.code_challenge_method || undefined,
      )) as unknown as { redirect: string };
      window.location.assign(answer.redirect);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Authorize application">
      {error && <p className="form-error" role="alert">{error}</p>}
      {app && (
        <>
          {app.icon_url && <img src={app.icon_url} alt="" width={48} height={48} />}
          <p>
            <strong>{app.name}</strong> would like to access your account.
          </p>
          {app.description && <p className="muted">{app.description}</p>}
          {app.homepage && (
            <p className="muted">
              <a href={app.homepage} rel="noreferrer noopener" target="_blank">{app.homepage}</a>
            </p>
          )}
          <p>It will be able to read and post as you, as long as you allow it.</p>
          <div className="row-actions">
            <button className="primary" disabled={busy} onClick={() => void allow()}>Allow</button>
            <button disabled={busy} onClick={() => window.location.assign(deniedRedirect(request.redirect_uri, request.state))}>Deny</button>
          </div>
        </>
      )}
    </AuthCard>
  );
}
