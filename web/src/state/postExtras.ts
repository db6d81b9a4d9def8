// A message's extras: its edit history and restoring a version, reminders, and
// acknowledgements of a message that asks for them (kept in `metadata.acknowledgements`).
import type { Post, PostAcknowledgement } from '@mattermost/types/posts';
import { client } from '../client';
import { getState, update } from './store';
import { addPosts } from './posts';

export async function editHistory(postId: string): Promise<Post[]> {
  return client.getPostEditHistory(postId);
}

export async function restoreVersion(postId: string, versionId: string): Promise<void> {
  const { data } = await client.restorePostVersion(postId, versionId, '');
  addPosts([data], false);
}

/** Asks the server to remind the user of the post at `at` (ms); the server answers with a
 * confirmation only this user sees, and sends the reminder from the system bot. */
export async function remindAt(postId: string, at: number): Promise<void> {
  const me = getState().me;
  if (!me) return;
  await client.addPostReminder(me.id, postId, Math.floor(at / 1000));
}

function setAcks(postId: string, change: (acks: PostAcknowledgement[]) => PostAcknowledgement[]): void {
  update((s) => {
    const post = s.posts[postId];
    if (!post) return {};
    const metadata = { ...post.metadata, acknowledgements: change(post.metadata?.acknowledgements ?? []) };
    return { posts: { ...s.posts, [postId]: { ...post, metadata } } };
  });
}

export function applyAckAdded(ack: PostAcknowledgement): void {
  setAcks(ack.post_id, (acks) => [...acks.filter((a) => a.user_id !== ack.user_id), ack]);
}

export function applyAckRemoved(ack: PostAcknowledgement): void {
  setAcks(ack.post_id, (acks) => acks.filter((a) => a.user_id !== ack.user_id));
}

export async function setAcknowledged(postId: string, acknowledged: boolean): Promise<void> {
  const me = getState().me;
  if (!me) return;
  if (acknowledged) applyAckAdded(await client.acknowledgePost(postId, me.id));
  else {
    await client.unacknowledgePost(postId, me.id);
    applyAckRemoved({ post_id: postId, user_id: me.id, acknowledged_at: 0 });
  }
}
