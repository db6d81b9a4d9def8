// Mattermost-flavoured markdown: GFM (tables, fenced code, autolinks, strikethrough), single
// newlines as line breaks, @mentions, ~channel links and :emoji: shortcodes; then DOMPurify.
// Code highlighting is applied afterwards by highlight.ts, loaded only when a post has code.
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import DOMPurify from 'dompurify';
import { EMOJI } from './emoji';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const mention: TokenizerAndRendererExtension = {
  name: 'mention',
  level: 'inline',
  start: (src) => src.match(/(^|[^\w@.])@[a-z0-9]/i)?.index,
  tokenizer(src) {
    const match = /^@([a-z0-9][a-z0-9._-]*[a-z0-9_]|[a-z0-9])/i.exec(src);
    if (match) return { type: 'mention', raw: match[0], name: match[1].toLowerCase() };
    return undefined;
  },
  renderer: (token) =>
    `<span class="mention" role="button" tabindex="0" data-mention="${escape(token.name)}">@${escape(token.name)}</span>`,
};

const channelLink: TokenizerAndRendererExtension = {
  name: 'channelLink',
  level: 'inline',
  start: (src) => src.match(/(^|\s)~[a-z0-9]/i)?.index,
  tokenizer(src) {
    const match = /^~([a-z0-9][a-z0-9_-]*)/i.exec(src);
    if (match) return { type: 'channelLink', raw: match[0], name: match[1].toLowerCase() };
    return undefined;
  },
  renderer: (token) => `<a class="channel-link" href="#" data-channel="${escape(token.name)}">~${escape(token.name)}</a>`,
};

const emoji: TokenizerAndRendererExtension = {
  name: 'emoji',
  level: 'inline',
  start: (src) => src.match(/:[a-z0-9_+-]+:/i)?.index,
  tokenizer(src) {
    const match = /^:([a-z0-9_+-]+):/i.exec(src);
    if (match && EMOJI[match[1]]) return { type: 'emoji', raw: match[0], name: match[1] };
    return undefined;
  },
  renderer: (token) => `<span class="emoji" role="img" aria-label="${escape(token.name)}" title=":${escape(token.name)}:">${EMOJI[token.name]}</span>`,
};

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({ extensions: [mention, channelLink, emoji] });
marked.use({
  renderer: {
    // Raw HTML in a message is shown as text, as Mattermost does.
    html: ({ text }) => escape(text),
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && !node.classList.contains('channel-link')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

// Set once: a config passed to every sanitize() call is parsed again each time.
DOMPurify.setConfig({
  ADD_ATTR: ['target', 'data-mention', 'data-channel'],
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'],
});

const cache = new Map<string, string>();
const CACHE_LIMIT = 5000;

/** Safe HTML for a message; cached by the caller's key (post id + edit time). */
export function renderMarkdown(text: string, key?: string): string {
  if (key) {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
  }
  const html = DOMPurify.sanitize(marked.parse(text) as string);
  if (key) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, html);
  }
  return html;
}
