import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { Post } from '@mattermost/types/posts';
import { errorMessage } from '../../client';
import { prefKey, update, useStore } from '../../state/store';
import { editPost, isPending, retryPost, setPinned, setSaved } from '../../state/posts';
import { permalinkPath } from '../../state/router';
import { Avatar } from '../common/Avatar';
import { Icon } from '../common/Icon';
import { Markdown } from './Markdown';
import { EmojiPicker, Reactions } from './Reactions';
import { Acknowledgements, EditHistory, PriorityLabel, ReminderMenu } from './PostExtras';
import { FileAttachments } from '../files/FileAttachments';
import { LinkPreview } from './LinkPreview';
import { GuestBadge } from '../common/GuestBadge';
import { MessageAttachments } from '../interactive/MessageAttachments';

// One formatter each, made once: toLocale*String builds a new Intl formatter on every call, which
// was the biggest single cost of rendering a page of posts.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const time = (t: number) => timeFormat.format(t);
const fullTime = (t: number) => fullFormat.format(t);

/** Matches a message that mentions `username` (or everyone in the channel). */
function mentionPattern(username: string): RegExp {
  return new RegExp(`(^|[^\\w])@(${username.replace(/[.]/g, '\\.')}|all|channel|here)\\b`, 'i');
}

export const PostItem = memo(function PostItem({ post, grouped, teamName, highlighted, inThread }: {
  post: Post; grouped: boolean; teamName: string; highlighted: boolean; inThread: boolean;
}) {
  const author = useStore((s) => s.users[post.user_id]);
  const me = useStore((s) => s.me);
  const mentionsMe = useMemo(
    () => Boolean(me && post.user_id !== me.id && mentionPattern(me.username).test(post.message)),
    [me, post.user_id, post.message],
  );
  const rootAuthor = useStore((s) => (post.root_id && !inThread ? s.users[s.posts[post.root_id]?.user_id ?? '']?.username : undefined));
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [popover, setPopover] = useState<'history' | 'reminder' | null>(null);
  const saved = useStore((s) => s.preferences[prefKey('flagged_post', post.id)] === 'true');
  // The toolbar shows only on hover or focus (CSS), so it is built the first time one happens:
  // it is most of a row's elements, and a channel opens with dozens of rows.
  const [actionsBuilt, setActionsBuilt] = useState(false);
  const buildActions = () => setActionsBuilt(true);
  const shownTime = time(post.create_at);
  const isoTime = new Date(post.create_at).toISOString();
  const mine = post.user_id === me?.id;
  const pending = isPending(post);
  const name = author?.username ?? '…';
  const openThread = () => update(() => ({ panel: { kind: 'thread', rootId: post.root_id || post.id } }));
  const openProfile = (e: React.MouseEvent<HTMLElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    update(() => ({ modal: { kind: 'profile', userId: post.user_id, x: rect.left, y: rect.bottom } }));
  };
  // An ephemeral post (an integration's answer to this user) shows as the post it is.
  if (post.type.startsWith('system_') && post.type !== 'system_ephemeral') {
    return (
      <div className="post system-post" data-post-id={post.id}>
        <div className="post-gutter" />
        <p className="post-body muted">
          {post.message} <time dateTime={isoTime}>{shownTime}</time>
        </p>
      </div>
    );
  }
  const classes = ['post', grouped ? 'grouped' : '', pending ? 'pending' : '', post.failed ? 'failed' : '', highlighted ? 'highlighted' : '', mentionsMe ? 'mentions-me' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <article className={classes} aria-label={`${name} at ${shownTime}`} data-post-id={post.id} onMouseEnter={buildActions} onFocus={buildActions}>
      <div className="post-gutter">
        {grouped ? (
          <time className="post-time-hover" dateTime={isoTime}>{shownTime}</time>
        ) : (
          <button className="avatar-button" onClick={openProfile} aria-label={`Profile of ${name}`}><Avatar userId={post.user_id} size={36} /></button>
        )}
      </div>
      <div className="post-body">
        {!grouped && (
          <header className="post-header">
            <button className="post-author" onClick={openProfile}>{name}</button>
            <GuestBadge user={author} />
            <PriorityLabel post={post} />
            <a className="post-time" href={permalinkPath(teamName, post.id)} title={fullTime(post.create_at)}>
              <time dateTime={isoTime}>{shownTime}</time>
            </a>
          </header>
        )}
        {post.root_id && !inThread && !grouped && (
          <button className="reply-context" onClick={openThread}>Replied to {rootAuthor ? `@${rootAuthor}'s` : 'a'} thread</button>
        )}
        {editing ? (
          <EditBox post={post} onDone={() => setEditing(false)} />
        ) : (
          <div className="post-message">
            <Markdown text={post.message} cacheKey={`${post.id}:${post.update_at}`} />
            {post.edit_at > 0 && (mine
              ? <button className="edited link-button" title={`Edited ${fullTime(post.edit_at)}: show the edit history`} onClick={() => setPopover('history')}>(edited)</button>
              : <span className="edited" title={`Edited ${fullTime(post.edit_at)}`}>(edited)</span>)}
            {post.is_pinned && <span className="pinned-label">Pinned</span>}
            {saved && <span className="pinned-label">Saved</span>}
            {post.type === 'system_ephemeral' && <span className="muted ephemeral-label">(Only visible to you)</span>}
          </div>
        )}
        {!editing && <MessageAttachments post={post} />}
        <FileAttachments post={post} />
        {!editing && <LinkPreview post={post} />}
        {post.failed && (
          <p className="post-failed" role="alert">
            Message not sent. <button className="link-button" onClick={() => void retryPost(post)}>Retry</button>
          </p>
        )}
        {!pending && <Reactions post={post} />}
        {!pending && <Acknowledgements post={post} />}
        {!inThread && !post.root_id && post.reply_count > 0 && (
          <button className="reply-count" onClick={openThread}>{post.reply_count} {post.reply_count === 1 ? 'reply' : 'replies'}</button>
        )}
      </div>
      {/* An ephemeral post is not stored: nothing to react to, edit, save or pin. */}
      {actionsBuilt && !pending && !editing && post.type !== 'system_ephemeral' && (
        <div className="post-actions" role="toolbar" aria-label="Message actions">
          <button className="icon-button" aria-label="Add reaction" title="Add reaction" aria-expanded={picking} onClick={() => setPicking(!picking)}><Icon name="emoji" /></button>
          {!inThread && <button className="icon-button" aria-label="Reply" title="Reply" onClick={openThread}><Icon name="reply" /></button>}
          {mine && <button className="icon-button" aria-label="Edit" title="Edit" onClick={() => setEditing(true)}><Icon name="edit" /></button>}
          {mine && <button className="icon-button" aria-label="Delete" title="Delete" onClick={() => update(() => ({ modal: { kind: 'confirmDelete', postId: post.id } }))}><Icon name="trash" /></button>}
          <button className="icon-button" aria-pressed={saved} aria-label={saved ? 'Remove from saved' : 'Save'} title={saved ? 'Remove from saved' : 'Save'} onClick={() => void setSaved(post.id, !saved)}><Icon name={saved ? 'bookmarkFilled' : 'bookmark'} /></button>
          <button className="icon-button" aria-pressed={post.is_pinned} aria-label={post.is_pinned ? 'Unpin from channel' : 'Pin to channel'} title={post.is_pinned ? 'Unpin from channel' : 'Pin to channel'} onClick={() => void setPinned(post.id, !post.is_pinned)}><Icon name="pin" /></button>
          <button className="icon-button" aria-label="Remind me" title="Remind me" aria-expanded={popover === 'reminder'} onClick={() => setPopover(popover === 'reminder' ? null : 'reminder')}><Icon name="clock" /></button>
          <button className="icon-button" aria-label="Copy link" title="Copy link" onClick={() => void navigator.clipboard?.writeText(window.location.origin + permalinkPath(teamName, post.id))}><Icon name="link" /></button>
        </div>
      )}
      {picking && <EmojiPicker postId={post.id} onClose={() => setPicking(false)} />}
      {popover === 'history' && <EditHistory post={post} onClose={() => setPopover(null)} />}
      {popover === 'reminder' && <ReminderMenu post={post} onClose={() => setPopover(null)} />}
    </article>
  );
});

function EditBox({ post, onDone }: { post: Post; onDone: () => void }) {
  const [text, setText] = useState(post.message);
  const [error, setError] = useState('');
  async function save() {
    const message = text.trim();
    if (!message || message === post.message) return onDone();
    try {
      await editPost(post.id, message);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onDone();
    }
  }
  return (
    <div className="edit-box">
      <textarea aria-label="Edit message" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} autoFocus rows={Math.min(8, text.split('\n').length + 1)} />
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="row-actions">
        <button className="primary" onClick={() => void save()}>Save</button>
        <button onClick={onDone}>Cancel</button>
        <span className="muted">Enter to save, Escape to cancel</span>
      </div>
    </div>
  );
}
