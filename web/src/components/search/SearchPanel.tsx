// The right-hand search results (or recent mentions): messages newest first, the team's files in
// a tab of their own, a page at a time.
import { useMemo } from 'react';
import type { Post } from '@mattermost/types/posts';
import { useStore, type Search, type SearchHits } from '../../state/store';
import { closeSearch, loadMoreFiles, loadMorePosts, setSearchTab } from '../../state/search';
import { queryWords } from '../../markdown/searchHighlight';
import { Icon } from '../common/Icon';
import { SearchHit } from './SearchHit';
import { FileHit } from './FileHit';

export const searchTitle = (search: Search | null) => (search?.mentions ? 'Recent mentions' : 'Search results');

export function SearchPanel() {
  const search = useStore((s) => s.search);
  if (!search) return null;
  const title = searchTitle(search);
  return (
    <section className="thread-panel search-panel" aria-labelledby="search-panel-title" onKeyDown={(e) => e.key === 'Escape' && closeSearch()}>
      <header className="panel-header">
        <h2 id="search-panel-title">{title}</h2>
        <button className="icon-button" aria-label={`Close ${title.toLowerCase()}`} onClick={closeSearch}><Icon name="close" /></button>
      </header>
      {!search.mentions && (
        <div className="tabs search-tabs" role="tablist" aria-label="Result kinds">
          {(['messages', 'files'] as const).map((tab) => (
            <button key={tab} role="tab" aria-selected={search.tab === tab} onClick={() => setSearchTab(tab)}>
              {tab === 'messages' ? 'Messages' : 'Files'}
            </button>
          ))}
        </div>
      )}
      <div className="thread-posts" role="region" aria-label={search.tab === 'files' ? 'Files found' : 'Messages found'}>
        {search.tab === 'files' ? <FileResults search={search} /> : <MessageResults search={search} />}
      </div>
    </section>
  );
}

function MessageResults({ search }: { search: Search }) {
  const posts = useStore((s) => s.posts);
  const fallback = useMemo(() => queryWords(search.terms), [search.terms]);
  const shown = search.posts.ids.map((id) => posts[id]).filter((p): p is Post => Boolean(p));
  return (
    <Paged hits={search.posts} count={shown.length} onMore={loadMorePosts} empty={search.mentions ? 'No one has mentioned you yet.' : `No messages match “${search.terms}”.`}>
      {shown.map((post) => {
        const matched = search.posts.matches[post.id];
        return <SearchHit key={post.id} post={post} marks={matched?.length ? matched : fallback} />;
      })}
    </Paged>
  );
}

function FileResults({ search }: { search: Search }) {
  const files = search.files.ids.map((id) => search.files.infos[id]).filter(Boolean);
  return (
    <Paged hits={search.files} count={files.length} onMore={loadMoreFiles} empty={`No files match “${search.terms}”.`}>
      {files.map((file) => <FileHit key={file.id} file={file} />)}
    </Paged>
  );
}

function Paged({ hits, count, onMore, empty, children }: {
  hits: SearchHits; count: number; onMore: () => Promise<void>; empty: string; children: React.ReactNode;
}) {
  const answered = hits.page >= 0;
  return (
    <>
      {children}
      {hits.error && <p className="form-error" role="alert">{hits.error}</p>}
      {hits.loading && <p className="muted search-status" role="status">Searching…</p>}
      {answered && !hits.loading && count === 0 && !hits.error && <p className="muted search-status">{empty}</p>}
      {answered && !hits.loading && !hits.atEnd && (
        <button className="load-more" onClick={() => void onMore()}>Load more</button>
      )}
    </>
  );
}
