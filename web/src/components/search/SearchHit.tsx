// One message found: its channel and time, the author, the message with the matched words
// marked, its files, and "Jump", which opens the channel at the message.
import type { Post } from '@mattermost/types/posts';
import { useStore } from '../../state/store';
import { navigate } from '../../state/router';
import { Avatar } from '../common/Avatar';
import { Markdown } from '../posts/Markdown';
import { FileAttachments } from '../files/FileAttachments';
import { hitChannelName, hitPermalink, hitTime } from './hitPlace';

export function SearchHit({ post, marks }: { post: Post; marks: string[] }) {
  const name = useStore((s) => s.users[post.user_id]?.username ?? '…');
  const channelName = useStore((s) => hitChannelName(s, post.channel_id));
  const permalink = useStore((s) => hitPermalink(s, post.channel_id, post.id));
  return (
    <article className="search-hit" aria-label={`${name} in ${channelName}`} data-post-id={post.id}>
      <p className="search-hit-place muted">{channelName}</p>
      <div className="search-hit-post">
        <Avatar userId={post.user_id} size={32} />
        <div className="post-body">
          <header className="post-header">
            <span className="post-author">{name}</span>
            <time className="post-time" dateTime={new Date(post.create_at).toISOString()}>{hitTime(post.create_at)}</time>
            <a className="search-jump" href={permalink} onClick={(e) => { e.preventDefault(); navigate(permalink); }}>Jump</a>
          </header>
          <div className="post-message">
            <Markdown text={post.message} cacheKey={`${post.id}:${post.update_at}`} marks={marks} />
          </div>
          <FileAttachments post={post} />
        </div>
      </div>
    </article>
  );
}
