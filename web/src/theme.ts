// Light and dark themes, stored as Mattermost's "theme" preference ({"type": "Onyx"} is dark)
// and applied as a data attribute the stylesheet keys on.
export type ThemeName = 'light' | 'dark';

const DARK_TYPES = new Set(['Onyx', 'Indigo']);

export function themeFromPreference(value: string | undefined): ThemeName | null {
  if (!value) return null;
  try {
    const type = (JSON.parse(value) as { type?: string }).type ?? '';
    return DARK_TYPES.has(type) ? 'dark' : 'light';
  } catch {
    return null;
  }
}

export function themePreference(theme: ThemeName): string {
  return JSON.stringify({ type: theme === 'dark' ? 'Onyx' : 'Denim' });
}

export function applyTheme(preference: string | undefined): void {
  const chosen = themeFromPreference(preference);
  const system = window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = chosen ?? system;
}
