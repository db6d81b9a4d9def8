// What the integrations area decides without the network (no imports: unit-tested alone).

/** One entry of the integrations area's side list, at Mattermost's URL below `/{team}/integrations/`. */
export type Section = { path: string; label: string };

/**
 * The sections a user sees, as Mattermost's web app shows them: each when the server has it on
 * and one of the user's roles grants its permission (system admins see every one that is on).
 * `permissions`: every permission of the user's system and team roles.
 */
export function integrationSections(config: Record<string, string | undefined>, permissions: Set<string>, systemAdmin: boolean): Section[] {
  const may = (...names: string[]) => systemAdmin || names.some((n) => permissions.has(n));
  const on = (key: string) => config[key] === 'true';
  const sections: Section[] = [];
  if (on('EnableIncomingWebhooks') && may('manage_incoming_webhooks')) sections.push({ path: 'incoming_webhooks', label: 'Incoming Webhooks' });
  if (on('EnableOutgoingWebhooks') && may('manage_outgoing_webhooks')) sections.push({ path: 'outgoing_webhooks', label: 'Outgoing Webhooks' });
  if (on('EnableCommands') && may('manage_slash_commands')) sections.push({ path: 'commands', label: 'Slash Commands' });
  if (on('EnableBotAccountCreation') && may('create_bot', 'manage_bots')) sections.push({ path: 'bots', label: 'Bot Accounts' });
  if (on('EnableOAuthServiceProvider') && may('manage_oauth')) sections.push({ path: 'oauth2-apps', label: 'OAuth 2.0 Applications' });
  return sections;
}

/** The authorization request of `GET /oauth/authorize`'s query, as the consent page posts it back. */
export type AuthorizeRequest = {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  state: string;
  scope: string;
  code_challenge: string;
  code_challenge_method: string;
};

export function authorizeRequest(search: string): AuthorizeRequest {
  const q = new URLSearchParams(search);
  const get = (name: string) => q.get(name) ?? '';
  return {
    response_type: get('response_type'),
    client_id: get('client_id'),
    redirect_uri: get('redirect_uri'),
    state: get('state'),
    scope: get('scope'),
    code_challenge: get('code_challenge'),
    code_challenge_method: get('code_challenge_method'),
  };
}

/** Where "Deny" sends the browser: the app's callback with RFC 6749's `access_denied` (and its state). */
export function deniedRedirect(redirectUri: string, state: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', 'access_denied');
  if (state) url.searchParams.set('state', state);
  return url.toString();
}

/** One URL a line of a text box (callback URLs, trigger words): trimmed, blank lines dropped. */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}
