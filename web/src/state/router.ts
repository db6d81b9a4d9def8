// Mattermost's URL scheme on the History API: /login, /signup_user_complete, /select_team,
// /create_team, /:team/channels/:channel, /:team/messages/@:username, /:team/pl/:postId,
// /:team/threads/:threadId,
// /admin_console/..., so links copied from Mattermost keep working.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'root' }
  | { name: 'login' }
  | { name: 'signup' }
  | { name: 'selectTeam' }
  | { name: 'createTeam' }
  | { name: 'mfaSetup' }
  | { name: 'admin'; section: string }
  | { name: 'channel'; team: string; channel: string }
  | { name: 'dm'; team: string; username: string }
  | { name: 'permalink'; team: string; postId: string }
  | { name: 'threads'; team: string; threadId: string }
  | { name: 'team'; team: string }
  | { name: 'oauthAuthorize' }
  | { name: 'integrations'; team: string; section: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  switch (first) {
    case undefined:
      return { name: 'root' };
    case 'login':
      return { name: 'login' };
    case 'signup_user_complete':
    case 'signup_email':
      return { name: 'signup' };
    case 'select_team':
      return { name: 'selectTeam' };
    case 'create_team':
      return { name: 'createTeam' };
    case 'mfa':
      if (second === 'setup') return { name: 'mfaSetup' };
      break;
    case 'oauth':
      if (second === 'authorize') return { name: 'oauthAuthorize' };
      break;
    case 'admin_console':
      // The section's path below /admin_console/ (`site_config/customization`, …).
      return { name: 'admin', section: parts.slice(1).join('/') };
  }
  if (second === 'channels' && third) return { name: 'channel', team: first, channel: third };
  if (second === 'messages' && third?.startsWith('@')) return { name: 'dm', team: first, username: third.slice(1) };
  if (second === 'messages' && third) return { name: 'channel', team: first, channel: third };
  if (second === 'threads') return { name: 'threads', team: first, threadId: third ?? '' };
  if (second === 'pl' && third) return { name: 'permalink', team: first, postId: third };
  if (second === 'integrations') return { name: 'integrations', team: first, section: parts.slice(2).join('/') };
  return { name: 'team', team: first };
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(path: string, { replace = false } = {}): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function usePathname(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => window.location.pathname,
  );
}

export const channelPath = (team: string, channel: string) => `/${team}/channels/${encodeURIComponent(channel)}`;
export const dmPath = (team: string, username: string) => `/${team}/messages/@${encodeURIComponent(username)}`;
export const threadsPath = (team: string, threadId = '') => `/${team}/threads${threadId ? `/${threadId}` : ''}`;
export const permalinkPath = (team: string, postId: string) => `/${team}/pl/${postId}`;
export const integrationsPath = (team: string) => `/${team}/integrations`;
