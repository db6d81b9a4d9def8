import { useEffect, useRef } from 'react';
import type { Team } from '@mattermost/types/teams';
import { useStore } from '../../state/store';
import { ensureUsers, fullName } from '../../state/users';
import { openDirectMessage } from '../../state/channels';
import { Avatar, statusLabel } from '../common/Avatar';
import { closeModal } from './Dialog';

/** A small card next to what was clicked: name, status, and a button to message the person. */
export function ProfilePopover({ userId, x, y, team }: { userId: string; x: number; y: number; team: Team }) {
  const user = useStore((s) => s.users[userId]);
  const status = useStore((s) => s.statuses[userId] ?? 'offline');
  const me = useStore((s) => s.me);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void ensureUsers([userId]);
    ref.current?.focus();
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && closeModal();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeModal();
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [userId]);

  const left = Math.max(8, Math.min(x, window.innerWidth - 288));
  const top = Math.max(8, Math.min(y + 4, window.innerHeight - 220));
  return (
    <div ref={ref} className="popover" role="dialog" aria-label={`Profile of ${user?.username ?? ''}`} tabIndex={-1} style={{ left, top }}>
      <div className="popover-head">
        <Avatar userId={userId} size={56} showStatus />
        <div>
          <p className="popover-name">{fullName(user) || user?.username}</p>
          <p className="muted">@{user?.username}{user?.nickname ? ` · ${user.nickname}` : ''}</p>
          <p className="muted">{statusLabel(status)}</p>
        </div>
      </div>
      {user?.position && <p>{user.position}</p>}
      {me && user && me.id !== user.id && (
        <button className="primary" onClick={() => { closeModal(); void openDirectMessage(team, [user.id]); }}>Message</button>
      )}
    </div>
  );
}
