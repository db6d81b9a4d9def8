// Reactions: adding and removing one's own, and applying reaction_added / reaction_removed,
// all kept in the post's `metadata.reactions` as the server sends it in post lists.
import type { Post } from '@mattermost/types/posts';
import type { Reaction } from '@mattermost/types/reactions';
import { client } from '../client';
import { getState, update } from './store';
import { ensureUsers } from './users';

const sameReaction = (a: Reaction, b: Reaction) =>
  a.user_id === b.user_id && a.post_id === b.post_id && a.emoji_name === b.emoji_name;

export function reactionsOf(post: Post): Reaction[] {
  return post.metadata?.reactions ?? [];
}

function setReactions(postId: string, change: (reactions: Reaction[]) => Reaction[]): void {
  update((s) => {
    const post = s.posts[postId];
    if (!post) return {};
    const reactions = change(reactionsOf(post));
    const metadata = { ...post.metadata, reactions };
    return { posts: { ...s.posts, [postId]: { ...post, has_reactions: reactions.length > 0, metadata } } };
  });
}

/** A reaction the server reported (or that this client just made). */
export function applyReactionAdded(reaction: Reaction): void {
  void ensureUsers([reaction.user_id]);
  setReactions(reaction.post_id, (list) =>
    list.some((r) => sameReaction(r, reaction)) ? list : [...list, reaction],
  );
}

export function applyReactionRemoved(reaction: Reaction): void {
  setReactions(reaction.post_id, (list) => list.filter((r) => !sameReaction(r, reaction)));
}

/** Adds the signed-in user's reaction, or removes it when it is already there. */
export async function toggleReaction(postId: string, emojiName: string): Promise<void> {
  const me = getState().me;
  const post = getState().posts[postId];
  if (!me || !post) return;
  const mine = reactionsOf(post).find((r) => r.user_id === me.id && r.emoji_name === emojiName);
  if (mine) {
    await client.removeReaction(me.id, postId, emojiName);
    applyReactionRemoved(mine);
  } else {
    applyReactionAdded(await client.addReaction(me.id, postId, emojiName));
  }
}
