import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from '../common/Icon';
import { update } from '../../state/store';

export const closeModal = () => update(() => ({ modal: null }));

/** A modal on the native <dialog>: focus stays inside, Escape closes, focus returns after. */
export function Dialog({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
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
      onClose={closeModal}
      onMouseDown={(e) => e.target === ref.current && closeModal()}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button className="icon-button" aria-label="Close" onClick={closeModal}><Icon name="close" /></button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
