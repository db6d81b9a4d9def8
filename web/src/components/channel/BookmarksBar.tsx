// The channel's bookmarks under its header: links everyone in the channel shares, added,
// removed and kept current by the channel_bookmark_* events.
import { useEffect, useState, type FormEvent } from 'react';
import type { ChannelBookmark } from '@mattermost/types/channel_bookmarks';
import { errorMessage } from '../../client';
import { useStore } from '../../state/store';
import { addBookmark, loadBookmarks, removeBookmark } from '../../state/bookmarks';
import { emojiGlyphOrEmpty } from '../../state/emoji';
import { Icon } from '../common/Icon';

export function BookmarksBar({ channelId }: { channelId: string }) {
  const bookmarks = useStore((s) => s.bookmarks[channelId]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    loadBookmarks(channelId).catch((e) => setError(errorMessage(e)));
  }, [channelId]);
  const remove = (b: ChannelBookmark) => removeBookmark(channelId, b.id).catch((e) => setError(errorMessage(e)));
  const sorted = [...(bookmarks ?? [])].sort((a, b) => a.sort_order - b.sort_order);
  return (
    <nav className="bookmarks-bar" aria-label="Bookmarks">
      <ul>
        {sorted.map((b) => (
          <li key={b.id}>
            <a href={b.link_url} target="_blank" rel="noopener noreferrer">{emojiGlyphOrEmpty(b.emoji)} {b.display_name}</a>
            <button className="icon-button" aria-label={`Remove the bookmark ${b.display_name}`} title="Remove" onClick={() => void remove(b)}><Icon name="close" size={12} /></button>
          </li>
        ))}
      </ul>
      {adding ? <AddBookmark channelId={channelId} onDone={() => setAdding(false)} /> : (
        <button className="link-button" onClick={() => setAdding(true)}><Icon name="plus" size={14} /> Add a bookmark</button>
      )}
      {error && <span className="form-error" role="alert">{error}</span>}
    </nav>
  );
}

function AddBookmark({ channelId, onDone }: { channelId: string; onDone: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    addBookmark(channelId, { type: 'link', display_name: name.trim(), link_url: url.trim() }).then(onDone, (err) => setError(errorMessage(err)));
  };
  return (
    <form className="add-bookmark" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <input aria-label="Bookmark title" placeholder="Title" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      <input aria-label="Bookmark link" placeholder="https://…" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
      <button className="primary" type="submit">Add</button>
      <button type="button" onClick={onDone}>Cancel</button>
      {error && <span className="form-error" role="alert">{error}</span>}
    </form>
  );
}
