// System roles the console assigns (`PUT /users/{id}/roles`): Mattermost's admin roles on top
// of system_user. No imports: unit-tested alone.

export const SYSTEM_ROLES: [roles: string, label: string][] = [
  ['system_user', 'Member'],
  ['system_user system_admin', 'System admin'],
  ['system_user system_manager', 'System manager'],
  ['system_user system_user_manager', 'User manager'],
  ['system_user system_read_only_admin', 'Read-only admin'],
];

const ADMIN_ROLES = ['system_admin', 'system_manager', 'system_user_manager', 'system_read_only_admin'];

/** The console's choice for a user's `roles` (the highest admin role held, else Member). */
export function roleChoice(roles: string): string {
  const held = roles.split(' ').filter(Boolean);
  if (held.includes('system_guest')) return 'system_guest';
  const admin = ADMIN_ROLES.find((r) => held.includes(r));
  return admin ? `system_user ${admin}` : 'system_user';
}

/** The label of a user's roles for the table. */
export function roleLabel(roles: string): string {
  const choice = roleChoice(roles);
  if (choice === 'system_guest') return 'Guest';
  return SYSTEM_ROLES.find(([r]) => r === choice)?.[1] ?? 'Member';
}

/**
 * The new `roles` string: the chosen admin role replaces any other admin role, other roles
 * held (custom ones) stay.
 */
export function withSystemRole(current: string, choice: string): string {
  const kept = current.split(' ').filter((r) => r && r !== 'system_user' && !ADMIN_ROLES.includes(r));
  return [...choice.split(' '), ...kept].join(' ');
}
