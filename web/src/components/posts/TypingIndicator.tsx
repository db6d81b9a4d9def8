import { useStore } from '../../state/store';

export function TypingIndicator({ channelId, rootId }: { channelId: string; rootId: string }) {
  const typing = useStore((s) => s.typing[channelId]);
  const users = useStore((s) => s.users);
  const names = Object.keys(typing ?? {}).map((id) => users[id]?.username ?? 'Someone');
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = 'Several people are typing…';
  return <div className="typing-indicator" aria-live="polite" data-root={rootId || undefined}>{text}</div>;
}
