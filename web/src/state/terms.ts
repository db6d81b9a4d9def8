// Custom terms of service: whether the signed-in user must accept the latest version before
// using the client (SupportSettings.CustomTermsOfServiceEnabled), and recording their choice.
import { useEffect, useState } from 'react';
import type { TermsOfService } from '@mattermost/types/terms_of_service';
import { client, errorStatus } from '../client';

export type TermsGate =
  | { kind: 'checking' }
  | { kind: 'clear' }
  | { kind: 'pending'; terms: TermsOfService };

/** The latest terms when the user has not accepted them, else null. */
async function pendingTerms(): Promise<TermsOfService | null> {
  let latest: TermsOfService;
  try {
    latest = await client.getTermsOfService();
  } catch (e) {
    if (errorStatus(e) === 404) return null; // no terms written yet
    throw e;
  }
  // Client4 has no call for a user's accepted version: the route is Mattermost's.
  const res = await fetch(`${client.getUserRoute('me')}/terms_of_service`, {
    credentials: 'include',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (res.ok) {
    const mine = (await res.json()) as { terms_of_service_id: string };
    if (mine.terms_of_service_id === latest.id) return null;
  } else if (res.status !== 404) {
    throw new Error(`terms of service: ${res.status}`);
  }
  return latest;
}

export async function decideTerms(id: string, accepted: boolean): Promise<void> {
  await client.updateMyTermsOfServiceStatus(id, accepted);
}

/**
 * Whether `userId` must first accept the terms; `accepted()` lets them through. Until the
 * check for this very user is done the answer is `checking`, so nothing renders behind it.
 */
export function useTermsGate(userId: string | undefined, enabled: boolean): [TermsGate, () => void] {
  const [state, setState] = useState<{ userId: string | undefined; gate: TermsGate }>({ userId: undefined, gate: { kind: 'clear' } });
  useEffect(() => {
    if (!userId || !enabled) {
      setState({ userId, gate: { kind: 'clear' } });
      return;
    }
    let live = true;
    pendingTerms()
      .then((terms) => live && setState({ userId, gate: terms ? { kind: 'pending', terms } : { kind: 'clear' } }))
      // A failed check must not lock the user out of the client.
      .catch(() => live && setState({ userId, gate: { kind: 'clear' } }));
    return () => {
      live = false;
    };
  }, [userId, enabled]);
  const gate = !userId || !enabled ? { kind: 'clear' as const } : state.userId === userId ? state.gate : { kind: 'checking' as const };
  return [gate, () => setState({ userId, gate: { kind: 'clear' } })];
}
