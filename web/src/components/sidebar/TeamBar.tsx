import { navigate } from '../../state/router';
import { useStore } from '../../state/store';

export function TeamBar({ currentTeamId }: { currentTeamId: string }) {
  const teams = useStore((s) => s.teams);
  const unreads = useStore((s) => s.teamUnreads);
  const sorted = Object.values(teams).sort((a, b) => a.display_name.localeCompare(b.display_name));
  return (
    <nav className="team-bar" aria-label="Teams">
      <ul>
        {sorted.map((team) => {
          const unread = team.id !== currentTeamId ? unreads[team.id] : undefined;
          const label = `${team.display_name}${unread?.mention ? `, ${unread.mention} mentions` : unread?.msg ? ', unread messages' : ''}`;
          return (
            <li key={team.id}>
              <a
                href={`/${team.name}/channels/town-square`}
                className="team-button"
                aria-current={team.id === currentTeamId ? 'page' : undefined}
                aria-label={label}
                title={team.display_name}
                data-unread={unread && unread.msg > 0 ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/${team.name}/channels/town-square`);
                }}
              >
                <span aria-hidden="true">{team.display_name.slice(0, 2)}</span>
                {unread && unread.mention > 0 && <span className="badge team-badge" aria-hidden="true">{unread.mention}</span>}
              </a>
            </li>
          );
        })}
        <li>
          <a href="/select_team" className="team-button add" aria-label="Join or create a team" title="Join or create a team" onClick={(e) => { e.preventDefault(); navigate('/select_team'); }}>
            <span aria-hidden="true">+</span>
          </a>
        </li>
      </ul>
    </nav>
  );
}
