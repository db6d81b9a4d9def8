import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../client';

/** A settings form's submit: runs the save, then says "Saved." or why it failed. */
export function useSubmit(action: () => Promise<void>) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await action();
      setMessage({ ok: true, text: 'Saved.' });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const status: ReactNode = message && <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>;
  return { onSubmit, status };
}
