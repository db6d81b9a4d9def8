// The parts of a message beyond its text: priority label, acknowledgements, edit history and
// the reminder menu.
import { useEffect, useState } from 'react';
import type { Post } from '@mattermost/types/posts';
import { errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { editHistory, remindAt, restoreVersion, setAcknowledged } from '../../state/postExtras';

const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function PriorityLabel({ post }: { post: Post }) {
  const priority = post.metadata?.priority?.priority;
  if (!priority) return null;
  return <span className={`priority-label ${priority}`}>{priority === 'urgent' ? 'Urgent' : 'Important'}</span>;
}

/** The Acknowledge button of a message that asks for it, with who has acknowledged. */
export function Acknowledgements({ post }: { post: Post }) {
  const me = useStore((s) => s.me?.id);
  const users = useStore((s) => s.users);
  const [error, setError] = useState('');
  if (!post.metadata?.priority?.requested_ack) return null;
  const acks = post.metadata.acknowledgements ?? [];
  const mine = acks.some((a) => a.user_id === me);
  const who = acks.map((a) => (a.user_id === me ? 'you' : `@${users[a.user_id]?.username ?? '…'}`)).join(', ');
  return (
    <div className="acknowledgements">
      <button className={mine ? 'reaction mine' : 'reaction'} aria-pressed={mine} title={who ? `Acknowledged by ${who}` : 'Nobody has acknowledged yet'}
        onClick={() => setAcknowledged(post.id, !mine).then(() => setError(''), (e) => setError(errorMessage(e)))}>
        ✓ {mine ? 'Acknowledged' : 'Acknowledge'} {acks.length > 0 && <span>{acks.length}</span>}
      </button>
      {error && <span className="form-error" role="alert">{error}</span>}
    </div>
  );
}

/** The previous versions of the user's own edited message, each restorable. */
export function EditHistory({ post, onClose }: { post: Post; onClose: () => void }) {
  const [versions, setVersions] = useState<Post[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    editHistory(post.id).then(setVersions, (e) => setError(errorMessage(e)));
  }, [post.id, post.edit_at]);
  return (
    <div className="edit-history" role="dialog" aria-label="Edit history" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <p className="muted">Current: {post.message}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul>
        {versions?.map((v) => (
          <li key={v.id}>
            <span className="muted">{fullFormat.format(v.edit_at || v.create_at)}</span> {v.message}
            <button className="link-button" aria-label={`Restore "${v.message}"`} onClick={() => restoreVersion(post.id, v.id).then(onClose, (e) => setError(errorMessage(e)))}>Restore</button>
          </li>
        ))}
      </ul>
      <button onClick={onClose}>Close</button>
    </div>
  );
}

const REMINDERS = [
  { label: 'In 30 minutes', after: () => Date.now() + 30 * 60_000 },
  { label: 'In 1 hour', after: () => Date.now() + 60 * 60_000 },
  { label: 'In 2 hours', after: () => Date.now() + 2 * 60 * 60_000 },
  {
    label: 'Tomorrow at 9:00',
    after: () => {
      const d = new Date();
      d.setDate(d.getDate() + 1);
      d.setHours(9, 0, 0, 0);
      return d.getTime();
    },
  },
];

export function ReminderMenu({ post, onClose }: { post: Post; onClose: () => void }) {
  const [error, setError] = useState('');
  return (
    <div className="reminder-menu" role="menu" aria-label="Remind me" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {REMINDERS.map((r) => (
        <button key={r.label} role="menuitem" onClick={() => remindAt(post.id, r.after()).then(onClose, (e) => setError(errorMessage(e)))}>{r.label}</button>
      ))}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
