// The searches a user ran lately in a team, newest first. Mattermost keeps them in the web
// app's own state (`entities.search.recent`), not on the server; this client keeps them in
// localStorage, per user and team, so they outlive a reload.
const LIMIT = 10;

const key = (userId: string, teamId: string) => `utmost:recentSearches:${userId}:${teamId}`;

export function recentSearches(userId: string, teamId: string): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(key(userId, teamId)) ?? '[]');
    return Array.isArray(saved) ? saved.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberSearch(userId: string, teamId: string, terms: string): void {
  const trimmed = terms.trim();
  if (!trimmed) return;
  const others = recentSearches(userId, teamId).filter((t) => t.toLowerCase() !== trimmed.toLowerCase());
  localStorage.setItem(key(userId, teamId), JSON.stringify([trimmed, ...others].slice(0, LIMIT)));
}

export function forgetSearch(userId: string, teamId: string, terms: string): void {
  localStorage.setItem(key(userId, teamId), JSON.stringify(recentSearches(userId, teamId).filter((t) => t !== terms)));
}
