import { useState } from 'react';
import { errorMessage } from '../../client';
import { deletePost } from '../../state/posts';
import { Dialog, closeModal } from './Dialog';

export function ConfirmDelete({ postId }: { postId: string }) {
  const [error, setError] = useState('');
  async function confirm() {
    try {
      await deletePost(postId);
      closeModal();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <Dialog title="Delete message">
      <p>Delete this message? Replies in its thread are deleted too. This cannot be undone.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="row-actions">
        <button className="danger" onClick={() => void confirm()} autoFocus>Delete</button>
        <button onClick={closeModal}>Cancel</button>
      </div>
    </Dialog>
  );
}
