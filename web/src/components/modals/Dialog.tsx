import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from '../common/Icon';
import { update } from '../../state/store';

export const closeModal = () => update(() => ({ modal: null }));

/**
 * A modal on the native <dialog>: focus stays inside, Escape closes, focus returns after.
 * `onClose` replaces closing the store's modal, for a dialog a component keeps itself.
 */
export function Dialog({ title, children, className = '', onClose = closeModal }: { title: string; children: ReactNode; className?: string; onClose?: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onMouseDown={(e) => e.target === ref.current && onClose()}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
