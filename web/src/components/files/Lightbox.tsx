// A message's pictures, one at a time and large: next and previous by button or arrow key, and
// a download of the original.
import { useEffect } from 'react';
import { update, useStore } from '../../state/store';
import { Dialog } from '../modals/Dialog';
import { Icon } from '../common/Icon';
import { downloadUrl, fitWithin, isPicture, largeUrl } from './files';

// The server's previews are at most 1920 × 1080; the window usually bounds them further (CSS).
const PREVIEW_BOX = { width: 1920, height: 1080 };

export function Lightbox({ postId, fileId }: { postId: string; fileId: string }) {
  const pictures = useStore((s) => s.posts[postId]?.metadata?.files)?.filter(isPicture) ?? [];
  const index = pictures.findIndex((f) => f.id === fileId);
  const file = pictures[index];
  const count = pictures.length;
  const show = (step: number) => {
    const next = pictures[(index + step + count) % count];
    if (next) update(() => ({ modal: { kind: 'lightbox', postId, fileId: next.id } }));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight') show(1);
      else if (e.key === 'ArrowLeft') show(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // The message was deleted, or edited to drop the file, while the lightbox was open.
  useEffect(() => {
    if (!file) update(() => ({ modal: null }));
  }, [file]);
  if (!file) return null;

  const size = fitWithin(file.width, file.height, PREVIEW_BOX.width, PREVIEW_BOX.height);
  return (
    <Dialog title={file.name} className="lightbox">
      <figure className="lightbox-figure">
        <img src={largeUrl(file)} alt={file.name} width={size.width} height={size.height} />
        <figcaption className="lightbox-bar">
          {count > 1 && <button className="icon-button" aria-label="Previous picture" title="Previous (←)" onClick={() => show(-1)}><Icon name="chevronLeft" /></button>}
          <span className="muted" aria-live="polite">{index + 1} of {count}</span>
          {count > 1 && <button className="icon-button" aria-label="Next picture" title="Next (→)" onClick={() => show(1)}><Icon name="chevronRight" /></button>}
          <a className="button-link" href={downloadUrl(file)} download={file.name}><Icon name="download" /> Download</a>
        </figcaption>
      </figure>
    </Dialog>
  );
}
