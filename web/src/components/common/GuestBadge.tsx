import type { UserProfile } from '@mattermost/types/users';
import { isGuest } from '../../state/users';

/** "Guest" beside a guest's name, as Mattermost's clients tag them. */
export function GuestBadge({ user }: { user: UserProfile | undefined }) {
  if (!isGuest(user)) return null;
  return <span className="guest-badge">Guest</span>;
}
