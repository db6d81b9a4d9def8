// The permissions editor's catalogue and edits (Mattermost's permission names), and which
// roles a scheme's scope governs. No imports: unit-tested alone.

export const TEAM_PERMISSIONS: [string, string][] = [
  ['create_public_channel', 'Create public channels'],
  ['create_private_channel', 'Create private channels'],
  ['join_public_channels', 'Join public channels'],
  ['list_team_channels', 'Browse public channels'],
  ['invite_user', 'Invite people'],
  ['add_user_to_team', 'Add members to the team'],
  ['remove_user_from_team', 'Remove members from the team'],
  ['manage_team', 'Manage the team'],
  ['manage_team_roles', 'Manage team roles'],
  ['manage_slash_commands', 'Manage slash commands'],
  ['manage_incoming_webhooks', 'Manage incoming webhooks'],
  ['manage_outgoing_webhooks', 'Manage outgoing webhooks'],
];

export const CHANNEL_PERMISSIONS: [string, string][] = [
  ['create_post', 'Create posts'],
  ['add_reaction', 'Add reactions'],
  ['remove_reaction', 'Remove reactions'],
  ['upload_file', 'Upload files'],
  ['edit_post', 'Edit own posts'],
  ['delete_post', 'Delete own posts'],
  ['edit_others_posts', "Edit others' posts"],
  ['delete_others_posts', "Delete others' posts"],
  ['use_channel_mentions', 'Use @channel, @all and @here'],
  ['use_group_mentions', 'Use group mentions'],
  ['manage_public_channel_members', 'Manage public channel members'],
  ['manage_private_channel_members', 'Manage private channel members'],
  ['manage_public_channel_properties', 'Manage public channel properties'],
  ['manage_private_channel_properties', 'Manage private channel properties'],
  ['delete_public_channel', 'Archive public channels'],
  ['delete_private_channel', 'Archive private channels'],
  ['manage_channel_roles', 'Manage channel roles'],
];

/** The role slots of a scheme by scope, with the scheme field that names each role. */
export const SCHEME_ROLES: Record<'team' | 'channel', [field: string, label: string, kind: 'team' | 'channel'][]> = {
  team: [
    ['default_team_admin_role', 'Team administrators', 'team'],
    ['default_team_user_role', 'Team members', 'team'],
    ['default_team_guest_role', 'Team guests', 'team'],
    ['default_channel_admin_role', 'Channel administrators', 'channel'],
    ['default_channel_user_role', 'Channel members', 'channel'],
    ['default_channel_guest_role', 'Channel guests', 'channel'],
  ],
  channel: [
    ['default_channel_admin_role', 'Channel administrators', 'channel'],
    ['default_channel_user_role', 'Channel members', 'channel'],
    ['default_channel_guest_role', 'Channel guests', 'channel'],
  ],
};

/** The built-in roles the system scheme edits, with the same slots. */
export const SYSTEM_SCHEME_ROLES: [name: string, label: string, kind: 'team' | 'channel'][] = [
  ['team_admin', 'Team administrators', 'team'],
  ['team_user', 'Team members', 'team'],
  ['team_guest', 'Team guests', 'team'],
  ['channel_admin', 'Channel administrators', 'channel'],
  ['channel_user', 'Channel members', 'channel'],
  ['channel_guest', 'Channel guests', 'channel'],
];

/** The catalogue rows for a role, then any other permission it holds (kept as it is). */
export function permissionRows(kind: 'team' | 'channel', held: string[]): [string, string][] {
  const catalogue = kind === 'team' ? TEAM_PERMISSIONS : CHANNEL_PERMISSIONS;
  const known = new Set(catalogue.map(([p]) => p));
  return [...catalogue, ...held.filter((p) => !known.has(p)).sort().map((p): [string, string] => [p, p])];
}

/** `permissions` with `name` granted or taken away, in a stable order. */
export function togglePermission(permissions: string[], name: string, granted: boolean): string[] {
  const rest = permissions.filter((p) => p !== name);
  return granted ? [...rest, name].sort() : rest;
}

/** The roles whose permissions differ between two editions (compared as sets). */
export function changedRoles(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const key = (ps: string[] = []) => [...new Set(ps)].sort().join(' ');
  return Object.keys(after).filter((name) => key(before[name]) !== key(after[name]));
}
