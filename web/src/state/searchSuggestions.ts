// What the search box suggests for the modifier being typed, from the same sources as
// Mattermost's search providers: `from:` the team's people (GET /users/autocomplete), `in:` the
// user's channels (GET /teams/{id}/channels/search_autocomplete), `on:`, `before:` and `after:`
// a date in the YYYY-MM-DD form the server reads.
import type { ServerChannel } from '@mattermost/types/channels';
import { client } from '../client';
import { getState } from './store';
import { ensureUsers, fullName } from './users';
import { dmPartnerId } from './channels';

export type Suggestion = { value: string; label: string; detail: string };

/** The modifier under the caret: `from:ali|` gives { modifier: 'from', partial: 'ali' }. */
export type ModifierAt = { modifier: 'from' | 'in' | 'on' | 'before' | 'after'; partial: string; start: number };

const MODIFIER = /(^|\s)-?(from|in|on|before|after):(\S*)$/i;

export function modifierAt(text: string, caret: number): ModifierAt | null {
  const match = MODIFIER.exec(text.slice(0, caret));
  if (!match) return null;
  const partial = match[3];
  return { modifier: match[2].toLowerCase() as ModifierAt['modifier'], partial, start: caret - partial.length };
}

/** `text` with the modifier's partial value replaced by `value` and a space, and where the caret goes. */
export function applySuggestion(text: string, at: ModifierAt, value: string): { text: string; caret: number } {
  const end = at.start + at.partial.length;
  const rest = text.slice(end).replace(/^\S*/, '');
  const before = `${text.slice(0, at.start)}${value} `;
  return { text: before + rest.replace(/^ /, ''), caret: before.length };
}

const SUGGESTION_LIMIT = 10;

export async function suggestionsFor(teamId: string, at: ModifierAt): Promise<Suggestion[]> {
  switch (at.modifier) {
    case 'from':
      return people(teamId, at.partial);
    case 'in':
      return channels(teamId, at.partial);
    default:
      return dates(at.partial);
  }
}

async function people(teamId: string, partial: string): Promise<Suggestion[]> {
  const { users } = await client.autocompleteUsers(partial.replace(/^@/, ''), teamId, '', { limit: SUGGESTION_LIMIT });
  return users.slice(0, SUGGESTION_LIMIT).map((u) => ({ value: u.username, label: `@${u.username}`, detail: fullName(u) || u.nickname || '' }));
}

async function channels(teamId: string, partial: string): Promise<Suggestion[]> {
  const found = (await client.autocompleteChannelsForSearch(teamId, partial)) as ServerChannel[];
  const listed = found.filter((c) => c.delete_at === 0).slice(0, SUGGESTION_LIMIT);
  const s = getState();
  await ensureUsers(listed.filter((c) => c.type === 'D').map((c) => dmPartnerId(s, c)));
  const users = getState().users;
  return listed.map((c) => {
    // A direct message is named by the other person, as the server's `in:@username` reads it.
    const partner = c.type === 'D' ? users[dmPartnerId(s, c)]?.username : undefined;
    return partner
      ? { value: `@${partner}`, label: `@${partner}`, detail: 'Direct message' }
      : { value: c.name, label: c.display_name || c.name, detail: c.name };
  });
}

const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Today and the six days before it, narrowed to what was typed. */
function dates(partial: string): Suggestion[] {
  const today = new Date();
  const days = Array.from({ length: 7 }, (_, i) => new Date(today.getFullYear(), today.getMonth(), today.getDate() - i));
  return days
    .map((d, i) => ({
      value: isoDay(d),
      label: isoDay(d),
      detail: i === 0 ? 'Today' : i === 1 ? 'Yesterday' : d.toLocaleDateString(undefined, { weekday: 'long' }),
    }))
    .filter((s) => s.value.startsWith(partial));
}
