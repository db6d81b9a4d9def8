// Emoji for reactions: the system ones this client draws (with skin tones for hands, named as
// Mattermost names them, e.g. `+1_medium_skin_tone`) and the server's custom emoji.
import type { CustomEmoji } from '@mattermost/types/emojis';
import { client } from '../client';
import { EMOJI } from '../markdown/emoji';
import { getState, update } from './store';

export const SKIN_TONES = [
  { name: '', label: 'Default', modifier: '' },
  { name: 'light', label: 'Light', modifier: '\u{1F3FB}' },
  { name: 'medium_light', label: 'Medium light', modifier: '\u{1F3FC}' },
  { name: 'medium', label: 'Medium', modifier: '\u{1F3FD}' },
  { name: 'medium_dark', label: 'Medium dark', modifier: '\u{1F3FE}' },
  { name: 'dark', label: 'Dark', modifier: '\u{1F3FF}' },
] as const;

/** The system emoji of this client that come in skin tones. */
const TONED = new Set(['+1', 'thumbsup', '-1', 'thumbsdown', 'ok_hand', 'clap', 'wave', 'pray', 'muscle', 'raised_hands', 'point_up']);

const TONE_SUFFIX = /^(.+)_(light|medium_light|medium|medium_dark|dark)_skin_tone$/;

/** The name of `name` in a skin tone ('' for the default yellow). */
export function tonedName(name: string, tone: string): string {
  return tone && TONED.has(name) ? `${name}_${tone}_skin_tone` : name;
}

/** The glyph of a system emoji name, in its skin tone if it names one; undefined if unknown. */
export function systemGlyph(name: string): string | undefined {
  const toned = TONE_SUFFIX.exec(name);
  if (!toned) return EMOJI[name];
  const base = EMOJI[toned[1]];
  const modifier = SKIN_TONES.find((t) => t.name === toned[2])?.modifier ?? '';
  // A modifier follows the base character directly, without the emoji presentation selector.
  return base && base.replace('\uFE0F', '') + modifier;
}

const asked = new Set<string>();

export async function loadCustomEmoji(): Promise<void> {
  if (getState().config.EnableCustomEmoji !== 'true') return;
  keepCustomEmoji(await client.getCustomEmojis(0, 200, 'name'));
}

/** Fetches the custom emoji among `names` this client does not know yet (each name once). */
export async function ensureCustomEmoji(names: string[]): Promise<void> {
  const known = getState().customEmoji;
  const missing = [...new Set(names)].filter((n) => !systemGlyph(n) && !known[n] && !asked.has(n));
  if (missing.length === 0 || getState().config.EnableCustomEmoji !== 'true') return;
  missing.forEach((n) => asked.add(n));
  keepCustomEmoji(await client.getCustomEmojisByNames(missing));
}

export function keepCustomEmoji(emoji: CustomEmoji[]): void {
  if (emoji.length === 0) return;
  update((s) => ({ customEmoji: { ...s.customEmoji, ...Object.fromEntries(emoji.map((e) => [e.name, e])) } }));
}

export const customEmojiUrl = (e: CustomEmoji) => client.getCustomEmojiImageUrl(e.id);

/** A bookmark's or status's emoji as a glyph, or nothing when this client cannot draw it. */
export const emojiGlyphOrEmpty = (name?: string) => (name ? systemGlyph(name.replace(/:/g, '')) ?? '' : '');
