import { useEffect, useState } from 'react';
import type { Team } from '@mattermost/types/teams';
import { errorMessage } from '../../client';
import { navigate, threadsPath } from '../../state/router';
import { useStore } from '../../state/store';
import { loadThreads } from '../../state/threads';
import { channelLabel } from '../../state/channels';
import { ThreadPanel } from '../posts/ThreadPanel';
import { Avatar } from '../common/Avatar';
import { Icon } from '../common/Icon';

/** The collapsed-threads inbox: followed threads, newest reply first, and the one open. */
export function ThreadsView({ team, threadId, onOpenSidebar }: { team: Team; threadId: string; onOpenSidebar: () => void }) {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState('');
  const order = useStore((s) => s.teamThreads[team.id]?.order);
  const loaded = useStore((s) => s.teamThreads[team.id]?.loaded ?? false);

  useEffect(() => {
    loadThreads(team.id, unreadOnly).then(() => setError(''), (e) => setError(errorMessage(e)));
  }, [team.id, unreadOnly]);

  return (
    <div className="threads-view">
      <section className="threads-list" aria-labelledby="threads-title">
        <header className="channel-header">
          <button className="icon-button menu-toggle" aria-label="Open the sidebar" onClick={onOpenSidebar}><Icon name="menu" /></button>
          <h1 id="threads-title">Followed threads</h1>
          <div className="tabs" role="tablist" aria-label="Which threads">
            <button role="tab" aria-selected={!unreadOnly} onClick={() => setUnreadOnly(false)}>All</button>
            <button role="tab" aria-selected={unreadOnly} onClick={() => setUnreadOnly(true)}>Unreads</button>
          </div>
        </header>
        {error && <p className="form-error" role="alert">{error}</p>}
        {loaded && order?.length === 0 && <p className="muted empty-threads">{unreadOnly ? 'No unread threads.' : 'You follow no threads yet: reply to one, or be mentioned in one.'}</p>}
        <ul aria-label="Threads">
          {order?.map((id) => <ThreadItem key={id} threadId={id} team={team} open={id === threadId} />)}
        </ul>
      </section>
      {threadId && <OpenThread team={team} threadId={threadId} />}
    </div>
  );
}

function ThreadItem({ threadId, team, open }: { threadId: string; team: Team; open: boolean }) {
  const thread = useStore((s) => s.threads[threadId]);
  const root = useStore((s) => s.posts[threadId]);
  const author = useStore((s) => s.users[root?.user_id ?? '']?.username ?? '…');
  const channel = useStore((s) => (root && s.channels[root.channel_id] ? channelLabel(s, s.channels[root.channel_id]) : ''));
  if (!thread || !root) return null;
  const unread = thread.unread_replies > 0;
  const state = thread.unread_mentions > 0
    ? `${thread.unread_mentions} mention${thread.unread_mentions > 1 ? 's' : ''}`
    : unread ? `${thread.unread_replies} new ${thread.unread_replies > 1 ? 'replies' : 'reply'}` : '';
  return (
    <li>
      <a
        href={threadsPath(team.name, threadId)}
        className={`thread-item${unread ? ' unread' : ''}`}
        aria-current={open ? 'page' : undefined}
        aria-label={`Thread by ${author} in ${channel}${state ? `, ${state}` : ''}`}
        onClick={(e) => {
          e.preventDefault();
          navigate(threadsPath(team.name, threadId));
        }}
      >
        <Avatar userId={root.user_id} size={28} />
        <span className="thread-summary">
          <span className="thread-meta"><strong>{author}</strong> <span className="muted">in {channel}</span></span>
          <span className="thread-excerpt">{root.message}</span>
          <span className="muted">{thread.reply_count} {thread.reply_count === 1 ? 'reply' : 'replies'}{state && <strong className="thread-unread"> · {state}</strong>}</span>
        </span>
      </a>
    </li>
  );
}

/** The open thread (ThreadPanel marks it read and has its follow switch). */
function OpenThread({ team, threadId }: { team: Team; threadId: string }) {
  return (
    <div className="open-thread">
      <ThreadPanel rootId={threadId} onClose={() => navigate(threadsPath(team.name))} />
    </div>
  );
}
