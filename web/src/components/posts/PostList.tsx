// The channel's messages, virtualized: only the rows on screen are in the DOM, so a channel
// with thousands of loaded posts opens as fast as one with ten. Scrolling up loads older pages.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { measureElement, useVirtualizer } from '@tanstack/react-virtual';
import type { Post } from '@mattermost/types/posts';
import { update, useStore } from '../../state/store';
import { loadNewestPage, loadOlderPosts } from '../../state/posts';
import { loadNewerPosts } from '../../state/postWindow';
import { PostItem } from './PostItem';

type Row =
  | { kind: 'date'; key: string; label: string }
  | { kind: 'new'; key: string }
  | { kind: 'post'; key: string; post: Post; grouped: boolean };

const GROUP_WINDOW_MS = 5 * 60 * 1000;
const LOAD_OLDER_PX = 400;

// Heights of one-line rows in the default theme. With exact estimates the first render already
// holds the rows that fill the screen, and measuring them moves nothing.
const ROW_HEIGHT = { separator: 35, system: 31, post: 56, grouped: 24 };

// The list is the same size in every channel: the last one measured lets the first render of the
// next hold the rows that fill it (the virtualizer would otherwise start from an empty rectangle,
// render one row, measure and render again).
let lastRect = { width: 0, height: window.innerHeight };

function estimateHeight(row: Row): number {
  if (row.kind !== 'post') return ROW_HEIGHT.separator;
  if (row.post.type.startsWith('system_')) return ROW_HEIGHT.system;
  return row.grouped ? ROW_HEIGHT.grouped : ROW_HEIGHT.post;
}

function dayLabel(time: number): string {
  const date = new Date(time);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: date.getFullYear() === today.getFullYear() ? undefined : 'numeric' });
}

function buildRows(posts: Post[], newSince: number, me: string): Row[] {
  const rows: Row[] = [];
  let lastDay = '';
  let prev: Post | undefined;
  let newLineShown = false;
  for (const post of posts) {
    const day = new Date(post.create_at).toDateString();
    const isSystem = (p: Post) => p.type.startsWith('system_');
    const sameThread = prev && !isSystem(prev) && !isSystem(post) && (post.root_id === prev.root_id || post.root_id === prev.id);
    // A message with a priority keeps its header, where its label is.
    const prioritized = Boolean(post.metadata?.priority?.priority);
    let grouped = Boolean(prev && sameThread && !prioritized && prev.user_id === post.user_id && post.create_at - prev.create_at < GROUP_WINDOW_MS);
    if (day !== lastDay) {
      rows.push({ kind: 'date', key: `date-${day}`, label: dayLabel(post.create_at) });
      lastDay = day;
      grouped = false;
    }
    if (!newLineShown && newSince > 0 && post.create_at > newSince && post.user_id !== me) {
      rows.push({ kind: 'new', key: 'new-messages' });
      newLineShown = true;
      grouped = false;
    }
    rows.push({ kind: 'post', key: post.id, post, grouped });
    prev = post;
  }
  return rows;
}

export function PostList({ channelId, teamName }: { channelId: string; teamName: string }) {
  const entry = useStore((s) => s.channelPosts[channelId]);
  const posts = useStore((s) => s.posts);
  const newSince = useStore((s) => s.newMessagesSince[channelId] ?? 0);
  const me = useStore((s) => s.me?.id ?? '');
  const highlight = useStore((s) => s.highlightPostId);
  const scroller = useRef<HTMLDivElement>(null);

  const rows = useMemo(
    () => buildRows((entry?.order ?? []).map((id) => posts[id]).filter(Boolean), newSince, me),
    [entry?.order, posts, newSince, me],
  );
  // A permalink's message, when the list opens with it: the list opens there, not at the bottom.
  const highlightIndex = highlight ? rows.findIndex((r) => r.key === highlight) : -1;
  const stickToBottom = useRef(highlightIndex < 0);

  const estimateSize = (i: number) => estimateHeight(rows[i]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    // Open at the bottom (the first frame already shows the newest messages), or at a permalink's message.
    initialOffset: () => {
      const above = (end: number) => rows.slice(0, end).reduce((sum, _, i) => sum + estimateSize(i), 0);
      return highlightIndex >= 0 ? Math.max(0, above(highlightIndex) - lastRect.height / 2) : above(rows.length);
    },
    getItemKey: (i) => rows[i].key,
    initialRect: lastRect,
    // Sizes come from the ResizeObserver, after the browser's own layout. Reading a row's height as
    // React attaches it would force a layout per row, since each message's content goes in between.
    measureElement: (element, entry, instance) => {
      if (entry) return measureElement(element, entry, instance);
      const index = instance.indexFromElement(element);
      return instance.itemSizeCache.get(rows[index].key) ?? estimateSize(index);
    },
    // Few rows beyond the screen: each costs as much as a visible one on the first, cold render.
    overscan: 3,
  });

  useLayoutEffect(() => {
    if (virtualizer.scrollRect) lastRect = virtualizer.scrollRect;
  });

  // Keep the newest message in view while the reader is at the bottom, also when a row grows once
  // measured (a message's pictures and link preview are taller than its estimate).
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (stickToBottom.current && highlightIndex < 0 && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, totalSize, virtualizer, highlightIndex]);

  // A permalink: scroll to the post once it is in the list.
  useEffect(() => {
    if (highlightIndex >= 0) {
      stickToBottom.current = false;
      virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
      const timer = window.setTimeout(() => update(() => ({ highlightPostId: '' })), 4000);
      return () => window.clearTimeout(timer);
    }
  }, [highlightIndex, rows, virtualizer]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    // Below an older window (a permalink's) the newest posts are not loaded yet: nothing to stick to.
    stickToBottom.current = fromBottom < 80 && !entry?.newerNotLoaded;
    if (el.scrollTop < LOAD_OLDER_PX && entry && !entry.atOldest && !entry.loadingOlder) {
      void loadOlderPosts(channelId).catch((e) => console.error(e));
    }
    if (fromBottom < LOAD_OLDER_PX && entry?.newerNotLoaded && !entry.loadingNewer) {
      void loadNewerPosts(channelId).catch((e) => console.error(e));
    }
  }

  function jumpToRecent() {
    stickToBottom.current = true;
    void loadNewestPage(channelId).catch((e) => console.error(e));
  }

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={scroller}
      id="post-list"
      className="post-list"
      onScroll={onScroll}
      role="log"
      aria-label="Messages"
      aria-busy={entry?.loadingOlder || undefined}
      tabIndex={0}
    >
      {entry?.atOldest ? (
        <p className="channel-intro">This is the start of the conversation.</p>
      ) : (
        <p className="channel-intro" role="status">{entry?.loadingOlder ? 'Loading older messages…' : ''}</p>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        <div style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                {row.kind === 'date' && (
                  <div className="date-separator" role="separator" aria-label={row.label}><span>{row.label}</span></div>
                )}
                {row.kind === 'new' && (
                  <div className="new-messages-line" role="separator" aria-label="New messages"><span>New messages</span></div>
                )}
                {row.kind === 'post' && (
                  <PostItem post={row.post} grouped={row.grouped} teamName={teamName} highlighted={row.post.id === highlight} inThread={false} />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {entry?.newerNotLoaded && (
        <button className="jump-to-recent" onClick={jumpToRecent}>Jump to recent messages</button>
      )}
    </div>
  );
}

