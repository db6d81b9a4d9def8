import { useState, type FormEvent } from 'react';
import { client, errorMessage } from '../../client';
import { update, useStore } from '../../state/store';
import { Dialog, closeModal } from './Dialog';

export function EditChannel({ channelId, field }: { channelId: string; field: 'header' | 'purpose' }) {
  const channel = useStore((s) => s.channels[channelId]);
  const [value, setValue] = useState(channel?.[field] ?? '');
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const updated = await client.patchChannel(channelId, { [field]: value });
      update((s) => ({ channels: { ...s.channels, [channelId]: { ...s.channels[channelId], ...updated } } }));
      closeModal();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Dialog title={field === 'header' ? 'Edit the channel header' : 'Edit the channel purpose'}>
      <form onSubmit={submit}>
        <label htmlFor="channel-field">{field === 'header' ? 'Header (markdown)' : 'Purpose'}</label>
        <textarea id="channel-field" value={value} onChange={(e) => setValue(e.target.value)} rows={4} maxLength={field === 'header' ? 1024 : 250} autoFocus />
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary">Save</button>
          <button type="button" onClick={closeModal}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
