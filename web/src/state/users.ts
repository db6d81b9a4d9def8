// Users and their presence: fetched once, then kept current by status_change / user_updated.
import type { UserProfile } from '@mattermost/types/users';
import { client } from '../client';
import { byId, getState, update } from './store';

const inFlight = new Set<string>();

/** Fetches the profiles (and statuses) of users the store does not know yet. */
export async function ensureUsers(ids: Iterable<string>): Promise<void> {
  const { users } = getState();
  const missing = [...new Set(ids)].filter((id) => id && !users[id] && !inFlight.has(id));
  if (missing.length === 0) return;
  missing.forEach((id) => inFlight.add(id));
  try {
    const profiles = await client.getProfilesByIds(missing);
    addUsers(profiles);
    await loadStatuses(missing);
  } finally {
    missing.forEach((id) => inFlight.delete(id));
  }
}

export function addUsers(profiles: UserProfile[]): void {
  update((s) => ({ users: byId(s.users, profiles) }));
}

export async function loadStatuses(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const statuses = await client.getStatusesByIds(ids).catch(() => []);
  update((s) => {
    const next = { ...s.statuses };
    for (const st of statuses) next[st.user_id] = st.status;
    return { statuses: next };
  });
}

export async function setMyStatus(status: string): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.updateStatus({ user_id: me.id, status } as Parameters<typeof client.updateStatus>[0]);
  update((s) => ({ statuses: { ...s.statuses, [me.id]: status } }));
}

export function fullName(user: UserProfile | undefined): string {
  if (!user) return '';
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

export function isSystemAdmin(user: UserProfile | null | undefined): boolean {
  return Boolean(user?.roles.split(' ').includes('system_admin'));
}

/** The System Console opens to system admins and the delegated admin roles (the server
 * answers each page by the role's console permissions). */
export function mayOpenConsole(user: UserProfile | null | undefined): boolean {
  const consoleRoles = ['system_admin', 'system_manager', 'system_user_manager', 'system_read_only_admin'];
  return Boolean(user?.roles.split(' ').some((r) => consoleRoles.includes(r)));
}

export function isGuest(user: UserProfile | null | undefined): boolean {
  return Boolean(user?.roles.split(' ').includes('system_guest'));
}

export function avatarUrl(user: UserProfile | undefined, id: string): string {
  return client.getProfilePictureUrl(id, user?.last_picture_update ?? 0);
}
