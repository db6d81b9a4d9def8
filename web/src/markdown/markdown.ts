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

// Set once: a config passed to every sanitize() call is parsed again each time. DOMPurify hands
// back the DOM it sanitized, so the page appends nodes instead of parsing the HTML a second time.
DOMPurify.setConfig({
  ADD_ATTR: ['target', 'data-mention', 'data-channel'],
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'],
  RETURN_DOM_FRAGMENT: true,
});

// RETURN_DOM_FRAGMENT comes from setConfig, which DOMPurify's types do not follow. Adopted so that
// nothing keeps alive the document DOMPurify parsed into.
const sanitize = (html: string) => document.adoptNode(DOMPurify.sanitize(html) as unknown as DocumentFragment);

/** Sanitized messages by key (post id + edit time); the page gets clones. */
const cache = new Map<string, DocumentFragment>();
const CACHE_LIMIT = 5000;
/** Messages rendered by React but not yet sanitized: key → text. */
const queue = new Map<string, string>();

function remember(key: string, fragment: DocumentFragment) {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, fragment);
}

/**
 * Sanitizes the queued messages. Each DOMPurify call parses into a new document, which costs more
 * than sanitizing a short message, so all of them go through one call, each in a numbered wrapper.
 * If the wrappers did not come back intact (marked's HTML is balanced, so they should), every
 * message is sanitized on its own.
 */
function flush() {
  const batch = [...queue];
  queue.clear();
  const htmls = batch.map(([, text]) => marked.parse(text) as string);
  const wrappers = [...sanitize(htmls.map((html, i) => `<div data-batch="${i}">${html}</div>`).join('')).childNodes];
  const intact = wrappers.length === batch.length && wrappers.every((w, i) => w instanceof HTMLDivElement && w.dataset.batch === String(i));
  batch.forEach(([key], i) => {
    let fragment: DocumentFragment;
    if (intact) {
      fragment = document.createDocumentFragment();
      fragment.append(...wrappers[i].childNodes);
    } else {
      fragment = sanitize(htmls[i]);
    }
    remember(key, fragment);
  });
}

/** Notes a message about to be rendered: the messages of one React render are sanitized together. */
export function queueMarkdown(text: string, key: string): void {
  if (!cache.has(key)) queue.set(key, text);
}

/** A message as safe DOM nodes, fresh for the caller to insert. */
export function renderMarkdown(text: string, key: string): DocumentFragment {
  if (!cache.has(key)) {
    queue.set(key, text);
    flush();
  }
  return cache.get(key)!.cloneNode(true) as DocumentFragment;
}

const WARM_UP_SAMPLE =
  '**bold** _italic_ ~~gone~~ `code` [link](https://example.com) https://example.com @someone ~town-square :smile:\n' +
  '> quoted\n\n- item\n1. first\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```';

/**
 * Pays, while the app waits for the server at start-up, what the first formatted messages would
 * otherwise pay when a channel opens: compiling marked's and DOMPurify's code and regular
 * expressions (30–45 ms the first time), and the first layout with the bold, italic and monospace
 * faces. A sample goes through both and is laid out out of sight, then thrown away. Each step is
 * its own short task, so a response arriving meanwhile does not wait for all of them.
 */
export function warmUpMarkdown(): void {
  let html = '';
  const probe = document.createElement('div');
  const steps = [
    () => {
      html = marked.parse(WARM_UP_SAMPLE) as string;
    },
    () => {
      const message = document.createElement('div');
      message.className = 'markdown';
      message.append(sanitize(html));
      probe.className = 'post-message';
      probe.setAttribute('aria-hidden', 'true');
      probe.style.cssText = 'position: fixed; top: 0; left: 0; width: 600px; visibility: hidden; pointer-events: none';
      probe.append(message);
    },
    () => {
      document.body.append(probe);
      probe.getBoundingClientRect();
      probe.remove();
    },
  ];
  const next = () => {
    steps.shift()?.();
    if (steps.length > 0) setTimeout(next);
  };
  setTimeout(next);
}
