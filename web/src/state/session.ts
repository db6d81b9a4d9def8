// Signing in and out, first-run sign-up, and loading what a signed-in user needs.
import type { UserProfile } from '@mattermost/types/users';
import type { PreferenceType } from '@mattermost/types/preferences';
import { client, errorStatus } from '../client';
import { getState, prefKey, reset, update } from './store';
import { addUsers, loadStatuses } from './users';
import { loadTeams } from './channels';
import { connectSocket, disconnectSocket } from './realtime';
import { applyTheme } from '../theme';
import { checkMfaRequired, isMfaRequiredError } from './mfa';

export async function boot(): Promise<void> {
  const config = await client.getClientConfig().catch(() => ({}));
  update(() => ({ config }));
  try {
    const me = await client.getMe();
    await startSession(me);
  } catch (e) {
    if (errorStatus(e) !== 401) console.error(e);
  }
  update(() => ({ booted: true }));
}

/**
 * Loads what the signed-in app starts from, then sets `me`: the app's first redirect (to the
 * user's team) sees the teams already there.
 */
async function startSession(me: UserProfile): Promise<void> {
  addUsers([me]);
  // An enforced user without MFA may do nothing but set it up: load nothing else yet.
  if (checkMfaRequired(me)) {
    update(() => ({ me }));
    return;
  }
  try {
    // The channel views load their posts once `me` is set: after the socket is registered, so a
    // message posted meanwhile is either in what they load or comes as an event.
    const [prefs] = await Promise.all([
      client.getMyPreferences() as unknown as Promise<PreferenceType[]>,
      loadTeams(),
      loadStatuses([me.id]),
      connectSocket(),
    ]);
    setPreferences(prefs);
  } catch (e) {
    if (isMfaRequiredError(e)) {
      disconnectSocket();
      update(() => ({ me }));
      return;
    }
    throw e;
  }
  update(() => ({ me }));
}

/** Loads the session once the MFA setup it waited for is done. */
export async function finishMfaSetup(): Promise<void> {
  const me = getState().me;
  if (me) await startSession(me);
}

export function setPreferences(prefs: PreferenceType[]): void {
  update((s) => {
    const preferences = { ...s.preferences };
    for (const p of prefs) preferences[prefKey(p.category, p.name)] = p.value;
    return { preferences };
  });
  applyTheme(getState().preferences[prefKey('theme', '')]);
}

export async function login(loginId: string, password: string, mfaToken = ''): Promise<void> {
  const me = await client.login(loginId, password, mfaToken);
  await startSession(me);
}

/**
 * Creates an account and signs in; the server makes the very first account a system admin.
 * An emailed invitation's `token` or a team's `inviteId` brings the account into that team.
 */
export async function signup(email: string, username: string, password: string, invitation: Invitation = {}): Promise<void> {
  await client.createUser({ email, username, password } as UserProfile, invitation.token ?? '', invitation.inviteId ?? '');
  // Used: the page must not offer to join with it once signed in.
  if (invitation.token || invitation.inviteId) window.history.replaceState(null, '', window.location.pathname);
  await login(username, password);
  const config = await client.getClientConfig().catch(() => getState().config);
  update(() => ({ config }));
}

/** An invitation in a sign-up link: `t` (emailed, one-shot) or `id` (a team's invite link). */
export type Invitation = { token?: string; inviteId?: string };

export function invitationInLink(search: string): Invitation {
  const query = new URLSearchParams(search);
  return { token: query.get('t') ?? undefined, inviteId: query.get('id') ?? undefined };
}

/** A signed-in user follows an invitation: joins its team (a guest also its channels). */
export async function acceptInvitation({ token, inviteId }: Invitation): Promise<void> {
  await client.addToTeamFromInvite(token ?? '', inviteId ?? '');
  await loadTeams();
}

export async function logout(): Promise<void> {
  await client.logout().catch(() => undefined);
  disconnectSocket();
  reset();
}

export async function savePreferences(prefs: Omit<PreferenceType, 'user_id'>[]): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const full = prefs.map((p) => ({ ...p, user_id: me.id }));
  setPreferences(full);
  await client.savePreferences(me.id, full);
}
