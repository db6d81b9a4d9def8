// Slash commands from the composer: the suggestions for what the user typed
// (/teams/{id}/commands/autocomplete_suggestions) and running a command
// (/commands/execute). A response's ephemeral post arrives over the WebSocket like any
// other; its goto_location moves the client (inside the site through the router).
import type { AutocompleteSuggestion } from '@mattermost/types/integrations';
import { client } from '../client';
import { getState } from './store';
import { navigate } from './router';
import { destination } from '../commands/slash';

export async function commandSuggestions(text: string, channelId: string, rootId: string): Promise<AutocompleteSuggestion[]> {
  const teamId = getState().currentTeamId;
  if (!teamId) return [];
  return client.getCommandAutocompleteSuggestionsList(text, teamId, { channel_id: channelId, team_id: teamId, root_id: rootId });
}

/** Runs `command`; throws the server's error for the composer to show. */
export async function runCommand(command: string, channelId: string, rootId: string): Promise<void> {
  const teamId = getState().currentTeamId;
  const response = await client.executeCommand(command, { channel_id: channelId, team_id: teamId, root_id: rootId });
  const where = destination(response.goto_location ?? '', window.location.origin);
  if (where && 'path' in where) navigate(where.path);
  else if (where) window.open(where.external, '_blank', 'noopener');
}
