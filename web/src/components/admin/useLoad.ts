// Loads something for a console page and reloads it after an action; errors come back as
// one line in Mattermost's terms (message and id). A slower, older answer (a search term
// typed further since) never replaces a newer one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './configForm';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const latest = useRef(0);
  const reload = useCallback(() => {
    const call = ++latest.current;
    return load().then(
      (d) => {
        if (call !== latest.current) return;
        setData(d);
        setError('');
      },
      (e) => {
        if (call === latest.current) setError(describeError(e));
      },
    );
  }, deps);
  useEffect(() => void reload(), [reload]);

  /** Runs an action, then reloads; its failure shows as the page's error. True when it worked. */
  const act = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setError('');
    try {
      await action();
    } catch (e) {
      setError(describeError(e));
      return false;
    }
    await reload();
    return true;
  }, [reload]);
  return { data, error, setError, reload, act };
}
