// Slash commands in the composer, the pure part (unit-tested in tests/slash-commands.test.mjs):
// which messages are commands, what a suggestion puts in the box, and where a response's
// goto_location leads.

export type SlashSuggestion = { Complete: string; Suggestion: string; Hint: string; Description: string };

/** A message is a command when it begins with "/" (a leading space sends it as a post). */
export function isSlashCommand(message: string): boolean {
  return message.startsWith('/') && message.trim().length > 1;
}

/** Suggestions are asked for while the box holds one line that begins with "/". */
export function wantsSuggestions(text: string): boolean {
  return text.startsWith('/') && !text.includes('\n');
}

/** The box's text once `s` is chosen: the completed command, ready for what follows. */
export function completion(s: SlashSuggestion): string {
  const complete = `/${s.Complete}`;
  return complete.endsWith(' ') ? complete : `${complete} `;
}

/** How a suggestion is shown: what it inserts, then its hint and description. */
export function describe(s: SlashSuggestion): { label: string; detail: string } {
  const label = s.Suggestion ? (s.Complete.includes(' ') ? s.Suggestion : `/${s.Suggestion}`) : s.Complete;
  return { label, detail: [s.Hint, s.Description].filter(Boolean).join(' — ') };
}

/**
 * Where a goto_location leads: a path inside this site (`{ path }`, for the client's router),
 * or another site (`{ external }`). Empty for none.
 */
export function destination(location: string, origin: string): { path: string } | { external: string } | null {
  if (!location) return null;
  if (location.startsWith('/') && !location.startsWith('//')) return { path: location };
  if (location === origin || location.startsWith(`${origin}/`)) return { path: location.slice(origin.length) || '/' };
  return { external: location };
}
