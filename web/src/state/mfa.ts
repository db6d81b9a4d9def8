// Multi-factor authentication: setting it up and removing it (Client4's MFA calls), and
// Mattermost's enforcement rule (`checkIfMFARequired`): with EnforceMultifactorAuthentication on,
// a user who could use MFA and has not set it up is sent to /mfa/setup and sees nothing else.
import { useSyncExternalStore } from 'react';
import type { UserProfile } from '@mattermost/types/users';
import { client, errorId } from '../client';
import { getState, update } from './store';

export const MFA_REQUIRED_ERROR = 'api.context.mfa_required.app_error';

let required = false;
const listeners = new Set<() => void>();

function setRequired(value: boolean): void {
  required = value;
  listeners.forEach((l) => l());
}

/** Whether the signed-in user must set MFA up before anything else. */
export function useMfaRequired(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => required,
  );
}

/** Decides from the client config and the user, before any call the server would refuse. */
export function checkMfaRequired(me: UserProfile): boolean {
  const config = getState().config;
  const enforced = config.EnableMultifactorAuthentication === 'true' && config.EnforceMultifactorAuthentication === 'true';
  const canUse = ['', 'email', 'ldap'].includes(me.auth_service ?? '');
  const exempt = me.is_bot || (me.roles ?? '').split(' ').includes('system_guest');
  setRequired(enforced && canUse && !exempt && !me.mfa_active);
  return required;
}

/** The server said so (the setting changed while signed in). */
export function isMfaRequiredError(e: unknown): boolean {
  if (errorId(e) !== MFA_REQUIRED_ERROR) return false;
  setRequired(true);
  return true;
}

export function generateSecret(userId: string): Promise<{ secret: string; qr_code: string }> {
  return client.generateMfaSecret(userId);
}

/** Turns MFA on with a code from the app, then reloads the user (now `mfa_active`). */
export async function activate(userId: string, code: string): Promise<UserProfile> {
  await client.updateUserMfa(userId, true, code.trim());
  const me = await client.getMe();
  update(() => ({ me }));
  setRequired(false);
  return me;
}

export async function deactivate(userId: string): Promise<void> {
  await client.updateUserMfa(userId, false, '');
  const me = await client.getMe();
  update(() => ({ me }));
}
