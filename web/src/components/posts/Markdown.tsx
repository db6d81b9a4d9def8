import { memo, useLayoutEffect, useRef } from 'react';
import { queueMarkdown, renderMarkdown } from '../../markdown/markdown';
import { highlightWithin } from '../../markdown/highlight';
import { markWords } from '../../markdown/searchHighlight';
import { getState, update } from '../../state/store';
import { navigate, channelPath } from '../../state/router';

/**
 * A rendered message, with the words `marks` names highlighted (a search hit). Clicks on
 * @mentions open the profile; ~channel links navigate.
 */
export const Markdown = memo(function Markdown({ text, cacheKey, marks }: { text: string; cacheKey: string; marks?: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  queueMarkdown(text, cacheKey);

  // The sanitized nodes go in before the frame is painted; React leaves the (childless) div's content alone.
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    root.replaceChildren(renderMarkdown(text, cacheKey));
    if (marks) markWords(root, marks);
    void highlightWithin(root);
  }, [text, cacheKey, marks?.join('\n')]);

  return <div ref={ref} className="markdown" onClick={onClick} onKeyDown={onKeyDown} />;
});

function activate(target: HTMLElement, x: number, y: number): boolean {
  const mention = target.closest<HTMLElement>('[data-mention]');
  if (mention) {
    const user = Object.values(getState().users).find((u) => u.username === mention.dataset.mention);
    if (user) update(() => ({ modal: { kind: 'profile', userId: user.id, x, y } }));
    return true;
  }
  const channel = target.closest<HTMLElement>('[data-channel]');
  if (channel) {
    const s = getState();
    const team = s.teams[s.currentTeamId];
    if (team) navigate(channelPath(team.name, channel.dataset.channel ?? ''));
    return true;
  }
  return false;
}

function onClick(e: React.MouseEvent) {
  if (activate(e.target as HTMLElement, e.clientX, e.clientY)) e.preventDefault();
}

function onKeyDown(e: React.KeyboardEvent) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  const rect = (e.target as HTMLElement).getBoundingClientRect();
  if (activate(e.target as HTMLElement, rect.left, rect.bottom)) e.preventDefault();
}
