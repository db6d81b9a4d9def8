import { useState } from 'react';
import { useStore } from '../../state/store';
import { askForNotifications, notificationsSupported } from '../../notifications/desktop';

const DISMISSED_KEY = 'utmost:notificationsBannerDismissed';

/**
 * Asks once, gently, for the browser's permission to show desktop notifications: a browser
 * grants it only from a click, so the page cannot ask by itself. Hidden once answered or put off.
 */
export function NotificationBanner() {
  const wantsDesktop = useStore((s) => s.me?.notify_props?.desktop !== 'none');
  const [hidden, setHidden] = useState(
    () => !notificationsSupported() || Notification.permission !== 'default' || localStorage.getItem(DISMISSED_KEY) === 'true',
  );
  if (hidden || !wantsDesktop) return null;
  const putOff = () => {
    localStorage.setItem(DISMISSED_KEY, 'true');
    setHidden(true);
  };
  return (
    <div className="notification-banner" role="region" aria-label="Desktop notifications">
      <span>Get a desktop notification when someone mentions you or sends you a direct message.</span>
      <button className="primary" onClick={() => void askForNotifications().finally(() => setHidden(true))}>Turn on notifications</button>
      <button onClick={putOff}>Not now</button>
    </div>
  );
}
