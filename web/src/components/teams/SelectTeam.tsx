import { useEffect, useState } from 'react';
import type { Team } from '@mattermost/types/teams';
import { client, errorMessage } from '../../client';
import { joinTeam } from '../../state/channels';
import { logout } from '../../state/session';
import { navigate } from '../../state/router';
import { useStore } from '../../state/store';
import { mayOpenConsole } from '../../state/users';
import { AuthCard } from '../auth/AuthCard';

export function SelectTeam() {
  const myTeams = useStore((s) => s.teams);
  const me = useStore((s) => s.me);
  const [open, setOpen] = useState<Team[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    client
      .getTeams(0, 200)
      .then((teams) => setOpen((teams as Team[]).filter((t) => t.allow_open_invite && t.delete_at === 0)))
      .catch((e) => setError(errorMessage(e)));
  }, []);

  const joinable = open.filter((t) => !myTeams[t.id]);
  const mine = Object.values(myTeams).sort((a, b) => a.display_name.localeCompare(b.display_name));

  async function join(team: Team) {
    try {
      await joinTeam(team);
      navigate(`/${team.name}/channels/town-square`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <AuthCard title="Choose a team">
      {mine.length > 0 && (
        <section aria-labelledby="my-teams">
          <h2 id="my-teams">Your teams</h2>
          <ul className="team-list">
            {mine.map((t) => (
              <li key={t.id}>
                <a href={`/${t.name}/channels/town-square`} onClick={(e) => { e.preventDefault(); navigate(`/${t.name}/channels/town-square`); }}>{t.display_name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="open-teams">
        <h2 id="open-teams">Teams you can join</h2>
        {joinable.length === 0 ? (
          <p className="muted">No other open teams.</p>
        ) : (
          <ul className="team-list">
            {joinable.map((t) => (
              <li key={t.id}>
                <span>{t.display_name}</span>
                <button onClick={() => void join(t)}>Join</button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="row-actions">
        <button className="primary" onClick={() => navigate('/create_team')}>Create a team</button>
        {mayOpenConsole(me) && <button onClick={() => navigate('/admin_console/user_management/users')}>System console</button>}
        <button onClick={() => void logout()}>Log out</button>
      </div>
    </AuthCard>
  );
}
