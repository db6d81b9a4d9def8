// Files dropped anywhere on a channel or thread go to its composer. Only drags that carry files
// are taken, so dragging a channel in the sidebar or text in a message is left alone.
import { useRef, useState, type DragEvent } from 'react';
import { useStore } from '../../state/store';
import { attachFiles } from '../../state/uploads';

const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/** The props that make an element a drop zone, and the overlay to render inside it while a drag is over it. */
export function useFileDrop(channelId: string, rootId: string) {
  const enabled = useStore((s) => s.config.EnableFileAttachments !== 'false');
  const [over, setOver] = useState(false);
  // dragenter and dragleave fire for every child crossed: the zone is left when they balance.
  const depth = useRef(0);

  const dropProps = {
    onDragEnter(e: DragEvent) {
      if (!enabled || !carriesFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      setOver(true);
    },
    onDragOver(e: DragEvent) {
      if (!enabled || !carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(e: DragEvent) {
      if (!enabled || !carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop(e: DragEvent) {
      if (!enabled || !carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      attachFiles(channelId, rootId, [...e.dataTransfer.files]);
    },
  };
  const overlay = over ? <div className="drop-overlay" aria-hidden="true"><p>Drop files to attach them</p></div> : null;
  return { dropProps, overlay };
}
