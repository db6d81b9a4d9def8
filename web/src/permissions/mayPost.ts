/** What deciding whether a user may post in a channel needs (no imports: unit-tested alone). */
export type PostingRoles = {
  /** The user's system roles (`UserProfile.roles`). */
  systemRoles: string;
  /** The channel membership: its roles (named after the governing scheme's) and admin flag. */
  channelMember: { roles: string; scheme_admin?: boolean };
  /** The team membership, if the channel belongs to a team the user is in. */
  teamMember?: { roles: string; scheme_admin?: boolean };
  /** The permissions of every role named above, by role name (from `/roles/names`). */
  permissions: Record<string, string[]>;
};

/** Every role name the user holds for the channel, once each. */
export function roleNames(r: Omit<PostingRoles, 'permissions'>): string[] {
  const all = [r.systemRoles, r.channelMember.roles, r.teamMember?.roles ?? ''].join(' ').split(' ');
  return [...new Set(all.filter(Boolean))];
}

/**
 * Whether the user may post: system admins, team admins and channel admins always may, others
 * when one of their roles grants `create_post` (a read-only channel's member role does not).
 */
export function mayPost(r: PostingRoles): boolean {
  if (r.systemRoles.split(' ').includes('system_admin')) return true;
  if (r.channelMember.scheme_admin || r.teamMember?.scheme_admin) return true;
  return roleNames(r).some((name) => (r.permissions[name] ?? []).includes('create_post'));
}
