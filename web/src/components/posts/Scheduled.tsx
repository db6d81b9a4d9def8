import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { deleteScheduled, schedulePost } from '../../state/scheduled';
import { Icon } from '../common/Icon';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `datetime-local`'s value for a time, in the browser's time zone. */
function localInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 19);
}

/** The clock next to Send: picks a time and schedules the message instead of sending it. */
export function ScheduleButton({ channelId, rootId, message, onScheduled }: {
  channelId: string; rootId: string; message: string; onScheduled: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const time = new Date(at).getTime();
    if (!message || Number.isNaN(time)) return setError('Write a message and pick a time.');
    schedulePost(channelId, message, time, rootId).then(
      () => {
        setOpen(false);
        setError('');
        onScheduled();
      },
      (err) => setError(errorMessage(err)),
    );
  };
  return (
    <>
      <button className="icon-button schedule-button" aria-label="Schedule message" title="Schedule message" aria-expanded={open} disabled={!message}
        onClick={() => {
          setAt(localInput(Date.now() + 3600_000));
          setOpen(!open);
        }}>
        <Icon name="clock" />
      </button>
      {open && (
        <form className="schedule-popover" role="dialog" aria-label="Schedule message" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <label>Send at <input type="datetime-local" step="1" value={at} onChange={(e) => setAt(e.target.value)} autoFocus /></label>
          {error && <p className="form-error" role="alert">{error}</p>}
          <div className="row-actions">
            <button className="primary" type="submit">Schedule</button>
            <button type="button" onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      )}
    </>
  );
}

/** The messages scheduled in this channel (or thread), with why one could not be sent. */
export function ScheduledBanner({ channelId, rootId }: { channelId: string; rootId: string }) {
  const all = useStore((s) => s.scheduled);
  const here = Object.values(all)
    .filter((p) => p.channel_id === channelId && (p.root_id ?? '') === rootId)
    .sort((a, b) => a.scheduled_at - b.scheduled_at);
  if (here.length === 0) return null;
  return (
    <section className="scheduled-banner" aria-label="Scheduled messages">
      <p>{here.length} scheduled {here.length === 1 ? 'message' : 'messages'}</p>
      <ul>
        {here.map((p) => (
          <li key={p.id}>
            <span className="muted">{when.format(p.scheduled_at)}</span> {p.message}
            {p.error_code && <strong className="form-error"> not sent ({p.error_code.replace(/_/g, ' ')})</strong>}
            <button className="link-button" aria-label={`Delete the scheduled message ${p.message}`} onClick={() => void deleteScheduled(p.id)}>Delete</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
