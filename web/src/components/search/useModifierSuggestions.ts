import { useEffect, useState } from 'react';
import { suggestionsFor, type ModifierAt, type Suggestion } from '../../state/searchSuggestions';

/** Fetching waits for a pause in the typing, so a fast typist sends one request. */
const TYPING_PAUSE_MS = 150;

/** What the modifier under the caret can take; nothing when there is no modifier. */
export function useModifierSuggestions(teamId: string, at: ModifierAt | null): Suggestion[] {
  const [found, setFound] = useState<{ key: string; items: Suggestion[] }>({ key: '', items: [] });
  const key = at ? `${teamId}|${at.modifier}|${at.partial}` : '';
  useEffect(() => {
    if (!at) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      suggestionsFor(teamId, at)
        .then((items) => !cancelled && setFound({ key, items }))
        .catch((e) => console.error('search suggestions failed', e));
    }, TYPING_PAUSE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);
  // Until the new answer comes, the last one for the same modifier stays (it narrows as one types).
  return at && found.key.startsWith(`${teamId}|${at.modifier}|`) ? found.items : [];
}
