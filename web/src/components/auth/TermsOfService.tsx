import { useState } from 'react';
import type { TermsOfService as Terms } from '@mattermost/types/terms_of_service';
import { errorMessage } from '../../client';
import { logout } from '../../state/session';
import { decideTerms } from '../../state/terms';
import { AuthCard } from './AuthCard';
import { Markdown } from '../posts/Markdown';

/** Shown after login until the user accepts the latest terms; declining logs them out. */
export function TermsOfService({ terms, onAccepted }: { terms: Terms; onAccepted: () => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function decide(accepted: boolean) {
    setBusy(true);
    setError('');
    try {
      await decideTerms(terms.id, accepted);
      if (accepted) onAccepted();
      else await logout();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Terms of Service">
      <section className="terms-text" aria-label="Terms of Service text">
        <Markdown text={terms.text} cacheKey={`terms:${terms.id}`} />
      </section>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="terms-actions">
        <button className="primary" disabled={busy} onClick={() => decide(true)}>I agree</button>
        <button disabled={busy} onClick={() => decide(false)}>I disagree</button>
      </div>
    </AuthCard>
  );
}
