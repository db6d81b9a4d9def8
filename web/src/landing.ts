// Where a team opens (Mattermost's redirect channel). Pure, so web/tests can load it alone.

type Channel = { id: string; name: string; display_name: string; team_id: string; delete_at: number };

/** Town Square; or, for someone not in it (a guest), the first of their team's channels by name. */
export function landingChannel(channels: Channel[], isMember: (id: string) => boolean, teamId: string): string {
  const mine = channels.filter((c) => c.team_id === teamId && c.delete_at === 0 && isMember(c.id));
  if (mine.length === 0 || mine.some((c) => c.name === 'town-square')) return 'town-square';
  return mine.sort((a, b) => a.display_name.localeCompare(b.display_name))[0].name;
}
