// Scheduled messages: the user's messages waiting for their time (the server sends them), and
// the scheduled_post_* events that keep the list current.
import type { ScheduledPost } from '@mattermost/types/schedule_post';
import { client } from '../client';
import { getState, update } from './store';

export async function loadScheduled(teamId: string): Promise<void> {
  const { data } = await client.getScheduledPosts(teamId, true);
  keepScheduled(Object.values(data).flat());
}

export function keepScheduled(posts: ScheduledPost[]): void {
  update((s) => {
    const scheduled = { ...s.scheduled };
    for (const p of posts) scheduled[p.id] = p;
    return { scheduled };
  });
}

export function dropScheduled(id: string): void {
  update((s) => {
    const scheduled = { ...s.scheduled };
    delete scheduled[id];
    return { scheduled };
  });
}

export async function schedulePost(channelId: string, message: string, scheduledAt: number, rootId = ''): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const { data } = await client.createScheduledPost(
    { channel_id: channelId, root_id: rootId, message, scheduled_at: scheduledAt, user_id: me.id },
    '',
  );
  keepScheduled([data]);
}

export async function deleteScheduled(id: string): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.deleteScheduledPost(me.id, id, '');
  dropScheduled(id);
}
