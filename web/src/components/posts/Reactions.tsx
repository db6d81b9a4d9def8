import { useState } from 'react';
import type { Post } from '@mattermost/types/posts';
import type { Reaction } from '@mattermost/types/reactions';
import { errorMessage } from '../../client';
import { EMOJI } from '../../markdown/emoji';
import { useStore } from '../../state/store';
import { reactionsOf, toggleReaction } from '../../state/reactions';

/** The glyph of a system emoji name, or the name itself for one this client has no glyph for. */
export const emojiGlyph = (name: string) => EMOJI[name] ?? `:${name}:`;

/** Each emoji once, in the order it was first used, with everyone who reacted with it. */
function groupByEmoji(reactions: Reaction[]): [string, Reaction[]][] {
  const groups = new Map<string, Reaction[]>();
  for (const r of [...reactions].sort((a, b) => a.create_at - b.create_at)) {
    groups.set(r.emoji_name, [...(groups.get(r.emoji_name) ?? []), r]);
  }
  return [...groups];
}

/** The chips under a message: one per emoji, pressed when the signed-in user reacted with it. */
export function Reactions({ post }: { post: Post }) {
  const me = useStore((s) => s.me?.id);
  const users = useStore((s) => s.users);
  const [error, setError] = useState('');
  const groups = groupByEmoji(reactionsOf(post));
  if (groups.length === 0) return null;
  const toggle = (name: string) => toggleReaction(post.id, name).then(() => setError(''), (e) => setError(errorMessage(e)));
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {groups.map(([name, list]) => {
        const who = list.map((r) => (r.user_id === me ? 'you' : `@${users[r.user_id]?.username ?? '…'}`)).join(', ');
        const mine = list.some((r) => r.user_id === me);
        return (
          <button
            key={name}
            className={mine ? 'reaction mine' : 'reaction'}
            aria-pressed={mine}
            aria-label={`${name} reaction by ${who}`}
            title={`${who} reacted with :${name}:`}
            onClick={() => void toggle(name)}
          >
            <span aria-hidden="true">{emojiGlyph(name)}</span> {list.length}
          </button>
        );
      })}
      {error && <span className="form-error" role="alert">{error}</span>}
    </div>
  );
}

/** The system emoji, each glyph once (several names share one). */
const PICKER_EMOJI = Object.entries(EMOJI).filter(([, glyph], i, all) => all.findIndex(([, g]) => g === glyph) === i);

/** A grid of emoji to react with; closes after a pick or on Escape. */
export function EmojiPicker({ postId, onClose }: { postId: string; onClose: () => void }) {
  const [filter, setFilter] = useState('');
  const shown = PICKER_EMOJI.filter(([name]) => name.includes(filter.trim().toLowerCase()));
  const pick = (name: string) => {
    onClose();
    void toggleReaction(postId, name).catch((e) => console.error('reaction failed', errorMessage(e)));
  };
  return (
    <div className="emoji-picker" role="dialog" aria-label="Add a reaction" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <input aria-label="Search emoji" placeholder="Search emoji" value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus />
      <div className="emoji-grid">
        {shown.map(([name, glyph]) => (
          <button key={name} className="emoji-choice" aria-label={name} title={`:${name}:`} onClick={() => pick(name)}>{glyph}</button>
        ))}
      </div>
    </div>
  );
}
