// Loads something for a console page and reloads it after an action; errors come back as
// one line in Mattermost's terms (message and id).
import { useCallback, useEffect, useState } from 'react';
import { describeError } from './configForm';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => load().then((d) => { setData(d); setError(''); }, (e) => setError(describeError(e))), deps);
  useEffect(() => void reload(), [reload]);

  /** Runs an action, then reloads; its failure shows as the page's error. */
  const act = useCallback(async (action: () => Promise<unknown>) => {
    setError('');
    try {
      await action();
      await reload();
    } catch (e) {
      setError(describeError(e));
    }
  }, [reload]);
  return { data, error, setError, reload, act };
}
