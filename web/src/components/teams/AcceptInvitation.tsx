// A signed-in user who follows an invitation link (emailed, or a team's invite link) joins
// the team at once, as Mattermost's web app does, and lands in it.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../client';
import { acceptInvitation, type Invitation } from '../../state/session';
import { navigate } from '../../state/router';
import { getState } from '../../state/store';

export function AcceptInvitation({ invitation }: { invitation: Invitation }) {
  const [error, setError] = useState('');
  useEffect(() => {
    const before = new Set(Object.keys(getState().teams));
    acceptInvitation(invitation).then(
      () => {
        const teams = Object.values(getState().teams);
        const joined = teams.find((t) => !before.has(t.id)) ?? teams[0];
        navigate(joined ? `/${joined.name}` : '/', { replace: true });
      },
      (e) => setError(errorMessage(e)),
    );
  }, [invitation.token, invitation.inviteId]);
  if (!error) return <div className="splash" role="status">Joining the team…</div>;
  return (
    <div className="splash">
      <p className="form-error" role="alert">{error}</p>
      <a href="/" onClick={(e) => { e.preventDefault(); navigate('/', { replace: true }); }}>Go to your teams</a>
    </div>
  );
}
