import { useEffect, useState } from 'react';
import { client } from '../client';
import { mayPost, roleNames } from '../permissions/mayPost';
import { getState } from './store';

/**
 * Whether the signed-in user may post in a channel, as Mattermost's web app decides it: the
 * roles of the user, of their channel membership (`/channels/{id}/members/me` names the
 * channel's or team's scheme roles when a permission scheme governs it) and of their team
 * membership, looked up with `/roles/names`.
 */
export async function canPostIn(channelId: string, teamId: string): Promise<boolean> {
  const s = getState();
  const systemRoles = s.me?.roles ?? '';
  const teamMember = teamId ? s.teamMembers[teamId] : undefined;
  const channelMember = await client.getMyChannelMember(channelId);
  const held = { systemRoles, channelMember, teamMember };
  if (mayPost({ ...held, permissions: {} })) return true;
  const roles = await client.getRolesByNames(roleNames(held));
  return mayPost({ ...held, permissions: Object.fromEntries(roles.map((role) => [role.name, role.permissions])) });
}

/**
 * True while the channel is read-only for the signed-in user. Asked again when the channel
 * changes (`version`: its `update_at`, which moves when a scheme is set or removed).
 */
export function useReadOnly(channelId: string, teamId: string, version: number): boolean {
  const [readOnly, setReadOnly] = useState(false);
  useEffect(() => {
    let live = true;
    setReadOnly(false);
    canPostIn(channelId, teamId)
      .then((ok) => {
        if (live) setReadOnly(!ok);
      })
      .catch(() => {
        // Unknown: the composer stays; the server refuses a post it does not allow.
      });
    return () => {
      live = false;
    };
  }, [channelId, teamId, version]);
  return readOnly;
}
