import { useEffect, useState } from 'react';
import { client } from '../../client';
import { useStore } from '../../state/store';
import { addUsers } from '../../state/users';

export type Option = { text: string; value: string };

/**
 * A menu's choices: its static options, the team's people (`users`, fetched once the menu is
 * shown) or the user's channels of the team (`channels`), as Mattermost's data sources.
 */
export function useOptions(dataSource: string | undefined, options: Option[] | null | undefined): Option[] {
  const teamId = useStore((s) => s.currentTeamId);
  const [people, setPeople] = useState<Option[]>([]);
  const channels = useStore((s) => s.channels);
  const myMembers = useStore((s) => s.myMembers);
  useEffect(() => {
    if (dataSource !== 'users' || !teamId) return;
    let live = true;
    client
      .getProfilesInTeam(teamId, 0, 200)
      .then((profiles) => {
        addUsers(profiles);
        if (live) setPeople(profiles.filter((p) => p.delete_at === 0).map((p) => ({ text: p.username, value: p.id })));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dataSource, teamId]);
  if (dataSource === 'users') return people;
  if (dataSource === 'channels') {
    return Object.values(channels)
      .filter((c) => c.team_id === teamId && (c.type === 'O' || c.type === 'P') && myMembers[c.id] && c.delete_at === 0)
      .sort((a, b) => a.display_name.localeCompare(b.display_name))
      .map((c) => ({ text: c.display_name, value: c.id }));
  }
  return options ?? [];
}
