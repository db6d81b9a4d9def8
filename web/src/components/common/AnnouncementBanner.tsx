import { useState } from 'react';
import { useStore } from '../../state/store';

const DISMISSED_KEY = 'utmost:dismissedBanner';

/**
 * The system-wide announcement an admin sets in the console (AnnouncementSettings, read from
 * the client config): shown above the chat in its colours; with AllowBannerDismissal a person
 * may close it, until its text changes.
 */
export function AnnouncementBanner() {
  const config = useStore((s) => s.config as Record<string, string | undefined>);
  const text = config.BannerText ?? '';
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(DISMISSED_KEY));
  if (config.EnableBanner !== 'true' || !text.trim()) return null;
  const dismissible = config.AllowBannerDismissal === 'true';
  if (dismissible && dismissed === text) return null;
  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, text);
    setDismissed(text);
  };
  return (
    <div className="announcement-banner" role="region" aria-label="Announcement" style={{ background: config.BannerColor || undefined, color: config.BannerTextColor || undefined }}>
      <span>{text}</span>
      {dismissible && <button className="announcement-close" aria-label="Dismiss announcement" onClick={dismiss}>×</button>}
    </div>
  );
}
