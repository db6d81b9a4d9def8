import { useState } from 'react';
import type { PostPriority, PostPriorityMetadata } from '@mattermost/types/posts';
import { Icon } from '../common/Icon';

/** The composer's message priority: standard, important or urgent, and asking for acknowledgement. */
export function PriorityPicker({ value, onChange }: { value: PostPriorityMetadata | null; onChange: (v: PostPriorityMetadata | null) => void }) {
  const [open, setOpen] = useState(false);
  const priority = value?.priority ?? '';
  const ack = value?.requested_ack ?? false;
  const set = (p: string, requestedAck: boolean) =>
    onChange(p || requestedAck ? { priority: p as PostPriority | '', requested_ack: requestedAck } : null);
  return (
    <>
      <button className={`icon-button priority-button${priority ? ` ${priority}` : ''}`} aria-label="Message priority" title="Message priority" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="exclamation" />
      </button>
      {open && (
        <fieldset className="priority-popover" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <legend>Message priority</legend>
          {[['', 'Standard'], ['important', 'Important'], ['urgent', 'Urgent']].map(([p, label]) => (
            <label key={p}><input type="radio" name="priority" checked={priority === p} onChange={() => set(p, ack)} /> {label}</label>
          ))}
          <label><input type="checkbox" checked={ack} onChange={(e) => set(priority, e.target.checked)} /> Request acknowledgement</label>
          <button onClick={() => setOpen(false)}>Done</button>
        </fieldset>
      )}
    </>
  );
}
