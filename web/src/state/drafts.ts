// Drafts kept on the server (AllowSyncedDrafts), so a message begun in one browser is there in
// the next; this browser's copy in localStorage stays the fallback when syncing is off.
import type { Draft } from '@mattermost/types/drafts';
import { client } from '../client';
import { getState, update } from './store';

export const draftId = (channelId: string, rootId: string) => `${channelId}:${rootId}`;

const syncing = () => getState().config.AllowSyncedDrafts === 'true';

export async function loadDrafts(teamId: string): Promise<void> {
  if (!syncing()) return;
  keepDrafts(await client.getUserDrafts(teamId));
}

export function keepDrafts(drafts: Draft[]): void {
  update((s) => {
    const next = { ...s.drafts };
    for (const d of drafts) next[draftId(d.channel_id, d.root_id ?? '')] = d;
    return { drafts: next };
  });
}

export function dropDraft(channelId: string, rootId: string): void {
  update((s) => {
    const next = { ...s.drafts };
    delete next[draftId(channelId, rootId)];
    return { drafts: next };
  });
}

/** Saves the text as the channel's (or thread's) draft on the server; empty text deletes it. */
export async function saveDraft(channelId: string, rootId: string, message: string): Promise<void> {
  const me = getState().me;
  if (!me || !syncing()) return;
  const saved = getState().drafts[draftId(channelId, rootId)];
  if (!message) {
    if (!saved) return;
    dropDraft(channelId, rootId);
    await client.deleteDraft(channelId, rootId, '');
    return;
  }
  if (saved?.message === message) return;
  const now = Date.now();
  const draft = { create_at: saved?.create_at ?? now, update_at: now, delete_at: 0, user_id: me.id, channel_id: channelId, root_id: rootId, message, props: {} };
  keepDrafts([draft]);
  await client.upsertDraft(draft, '');
}
