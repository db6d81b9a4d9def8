import { useEffect, useState } from 'react';
import type { Post } from '@mattermost/types/posts';
import type { Reaction } from '@mattermost/types/reactions';
import { errorMessage } from '../../client';
import { EMOJI } from '../../markdown/emoji';
import { useStore } from '../../state/store';
import { reactionsOf, toggleReaction } from '../../state/reactions';
import { SKIN_TONES, customEmojiUrl, ensureCustomEmoji, loadCustomEmoji, systemGlyph, tonedName } from '../../state/emoji';

/** An emoji by name: a system glyph, a custom emoji's image, or `:name:` while unknown. */
export function EmojiGlyph({ name }: { name: string }) {
  const custom = useStore((s) => s.customEmoji[name]);
  const glyph = systemGlyph(name);
  if (glyph) return <span aria-hidden="true">{glyph}</span>;
  if (custom) return <img className="custom-emoji" src={customEmojiUrl(custom)} alt="" />;
  return <span aria-hidden="true">:{name}:</span>;
}

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
  const names = groups.map(([name]) => name).join();
  useEffect(() => {
    if (names) ensureCustomEmoji(names.split(',')).catch(() => undefined);
  }, [names]);
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
            <EmojiGlyph name={name} /> {list.length}
          </button>
        );
      })}
      {error && <span className="form-error" role="alert">{error}</span>}
    </div>
  );
}

/** The system emoji, each glyph once (several names share one). */
const PICKER_EMOJI = Object.keys(EMOJI).filter((name, i, all) => all.findIndex((n) => EMOJI[n] === EMOJI[name]) === i);
const TONE_KEY = 'utmost:emoji-skin-tone';

/** A grid of emoji to react with (the server's custom ones too); closes after a pick or on Escape. */
export function EmojiPicker({ postId, onClose }: { postId: string; onClose: () => void }) {
  const [filter, setFilter] = useState('');
  const [tone, setTone] = useState(() => localStorage.getItem(TONE_KEY) ?? '');
  const custom = useStore((s) => s.customEmoji);
  useEffect(() => {
    loadCustomEmoji().catch(() => undefined);
  }, []);
  const term = filter.trim().toLowerCase();
  const system = PICKER_EMOJI.filter((name) => name.includes(term)).map((name) => tonedName(name, tone));
  const customNames = Object.keys(custom).filter((name) => name.includes(term)).sort();
  const pick = (name: string) => {
    onClose();
    void toggleReaction(postId, name).catch((e) => console.error('reaction failed', errorMessage(e)));
  };
  const chooseTone = (name: string) => {
    setTone(name);
    localStorage.setItem(TONE_KEY, name);
  };
  const choice = (name: string) => (
    <button key={name} className="emoji-choice" aria-label={name} title={`:${name}:`} onClick={() => pick(name)}><EmojiGlyph name={name} /></button>
  );
  return (
    <div className="emoji-picker" role="dialog" aria-label="Add a reaction" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="emoji-picker-top">
        <input aria-label="Search emoji" placeholder="Search emoji" value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus />
        <select aria-label="Skin tone" value={tone} onChange={(e) => chooseTone(e.target.value)}>
          {SKIN_TONES.map((t) => <option key={t.name} value={t.name}>{systemGlyph(tonedName('wave', t.name)) ?? ''} {t.label}</option>)}
        </select>
      </div>
      <div className="emoji-grid" role="group" aria-label="Emoji">
        {system.map(choice)}
      </div>
      {customNames.length > 0 && (
        <>
          <p className="emoji-section muted">Custom</p>
          <div className="emoji-grid" role="group" aria-label="Custom emoji">{customNames.map(choice)}</div>
        </>
      )}
    </div>
  );
}

