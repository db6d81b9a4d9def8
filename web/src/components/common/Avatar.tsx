import { useStore } from '../../state/store';
import { avatarUrl } from '../../state/users';

const STATUS_LABEL: Record<string, string> = { online: 'Online', away: 'Away', dnd: 'Do not disturb', offline: 'Offline' };

export function StatusDot({ userId }: { userId: string }) {
  const status = useStore((s) => s.statuses[userId] ?? 'offline');
  return <span className={`status-dot status-${status}`} role="img" aria-label={STATUS_LABEL[status] ?? status} title={STATUS_LABEL[status] ?? status} />;
}

export function Avatar({ userId, size = 32, showStatus = false }: { userId: string; size?: number; showStatus?: boolean }) {
  const user = useStore((s) => s.users[userId]);
  return (
    <span className="avatar" style={{ width: size, height: size }}>
      <img src={avatarUrl(user, userId)} alt="" width={size} height={size} loading="lazy" decoding="async" />
      {showStatus && <StatusDot userId={userId} />}
    </span>
  );
}

export function statusLabel(status: string): string {
  return STATUS_LABEL[status] ?? status;
}
