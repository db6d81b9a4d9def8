import type { UserProfile } from '@mattermost/types/users';
import { isGuest } from '../../state/users';
import { useStore } from '../../state/store';

/** "Guest" beside a guest's name, as Mattermost's clients tag them, unless HideGuestTags. */
export function GuestBadge({ user }: { user: UserProfile | undefined }) {
  const hidden = useStore((s) => s.config.HideGuestTags === 'true');
  if (hidden || !isGuest(user)) return null;
  return <span className="guest-badge">Guest</span>;
}
