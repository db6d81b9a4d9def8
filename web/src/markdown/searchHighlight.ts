// Marks the words a search matched inside a rendered message, as Mattermost's search results
// highlight them: every occurrence, in any case, in the message's text (never in its markup).

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function markWords(root: HTMLElement, words: string[]): void {
  const wanted = [...new Set(words.map((w) => w.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return;
  const pattern = new RegExp(wanted.map(escapeRegExp).join('|'), 'gi');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode as Text);
  for (const node of texts) {
    const parts: Array<string | Node> = [];
    let last = 0;
    for (const match of node.data.matchAll(pattern)) {
      const mark = document.createElement('mark');
      mark.textContent = match[0];
      parts.push(node.data.slice(last, match.index), mark);
      last = match.index + match[0].length;
    }
    if (parts.length > 0) node.replaceWith(...parts, node.data.slice(last));
  }
}

/**
 * The words of a query worth marking when the server named none for a hit: its terms and
 * phrases without modifiers, excluded terms, the `*` of a prefix or a leading `#`/`@`.
 */
export function queryWords(terms: string): string[] {
  return (terms.match(/"[^"]*"|\S+/g) ?? [])
    .filter((t) => !t.startsWith('-') && !/^[a-z]+:/i.test(t))
    .map((t) => t.replace(/^"|"$/g, '').replace(/\*$/, '').replace(/^[@#]/, ''))
    .filter(Boolean);
}
