// Channel bookmarks: the live ones of each channel the user has open, reloaded on the
// channel_bookmark_* events.
import type { ChannelBookmarkCreate } from '@mattermost/types/channel_bookmarks';
import { client } from '../client';
import { update } from './store';

export async function loadBookmarks(channelId: string): Promise<void> {
  const bookmarks = await client.getChannelBookmarks(channelId);
  update((s) => ({ bookmarks: { ...s.bookmarks, [channelId]: bookmarks.filter((b) => b.delete_at === 0) } }));
}

export async function addBookmark(channelId: string, bookmark: ChannelBookmarkCreate): Promise<void> {
  await client.createChannelBookmark(channelId, bookmark, '');
  await loadBookmarks(channelId);
}

export async function removeBookmark(channelId: string, bookmarkId: string): Promise<void> {
  await client.deleteChannelBookmark(channelId, bookmarkId, '');
  await loadBookmarks(channelId);
}
