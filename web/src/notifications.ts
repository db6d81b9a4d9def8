// Desktop notifications for mentions while the tab is in the background, if the user allowed them.
import type { Post } from '@mattermost/types/posts';
import type { UserProfile } from '@mattermost/types/users';
import { getState } from './state/store';

export function notifyMention(post: Post, sender: UserProfile | undefined): void {
  const level = getState().me?.notify_props?.desktop ?? 'mention';
  if (level === 'none' || typeof Notification === 'undefined') return;
  if (Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
  new Notification(`@${sender?.username ?? 'someone'} mentioned you`, { body: post.message.slice(0, 200), tag: post.id });
}

export function askForNotifications(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}
