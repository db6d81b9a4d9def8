// Slash commands from the composer: the suggestions for what the user typed
// (/teams/{id}/commands/autocomplete_suggestions) and running a command
// (/commands/execute). A response's ephemeral post arrives over the WebSocket like any
// other; its goto_location moves the client (inside the site through the router).
import type { AutocompleteSuggestion } from '@mattermost/types/integrations';
import { client } from '../client';
import { getState } from './store';
import { navigate } from './router';
import { destination } from '../commands/slash';

/**
 * The team a command in `channelId` runs in: the channel's own, or for a direct or group
 * message (no team) the one shown. Not only the one shown: the channel view can be up before
 * the team's channels have loaded and the shown team is set.
 */
function commandTeam(channelId: string): string {
  const s = getState();
  return s.channels[channelId]?.team_id || s.currentTeamId;
}

export async function commandSuggestions(text: string, channelId: string, rootId: string): Promise<AutocompleteSuggestion[]> {
  const teamId = commandTeam(channelId);
  if (!teamId) return [];
  return client.getCommandAutocompleteSuggestionsList(text, teamId, { channel_id: channelId, team_id: teamId, root_id: rootId });
}

/** Runs `command`; throws the server's error for the composer to show. */
export async function runCommand(command: string, channelId: string, rootId: string): Promise<void> {
  const teamId = commandTeam(channelId);
  const response = await client.executeCommand(command, { channel_id: channelId, team_id: teamId, root_id: rootId });
  const where = destination(response.goto_location ?? '', window.location.origin);
  if (where && 'path' in where) navigate(where.path);
  else if (where) window.open(where.external, '_blank', 'noopener');
}
