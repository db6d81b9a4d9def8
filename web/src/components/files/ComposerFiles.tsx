// The composer's files: the attach button, the files attached so far (with each upload's
// progress and a button that cancels or removes it) and the files a paste carries.
import { useRef } from 'react';
import { useStore, type Upload } from '../../state/store';
import { draftId } from '../../state/drafts';
import { attachFiles, formatBytes, isUploading, removeUpload } from '../../state/uploads';
import { Icon } from '../common/Icon';
import { FileTypeBadge } from './FileTypeBadge';

export function AttachButton({ channelId, rootId }: { channelId: string; rootId: string }) {
  const enabled = useStore((s) => s.config.EnableFileAttachments !== 'false');
  const input = useRef<HTMLInputElement>(null);
  if (!enabled) return null;
  return (
    <>
      <button className="icon-button attach-button" aria-label="Attach files" title="Attach files" onClick={() => input.current?.click()}>
        <Icon name="attach" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to attach"
        onChange={(e) => {
          attachFiles(channelId, rootId, [...(e.target.files ?? [])]);
          // The same file may be chosen again after it was removed.
          e.target.value = '';
        }}
      />
    </>
  );
}

export function UploadList({ channelId, rootId }: { channelId: string; rootId: string }) {
  const uploads = useStore((s) => s.uploads[draftId(channelId, rootId)]);
  if (!uploads) return null;
  return (
    <ul className="upload-list" aria-label="Attached files">
      {uploads.map((u) => <UploadChip key={u.clientId} upload={u} onRemove={() => removeUpload(channelId, rootId, u.clientId)} />)}
    </ul>
  );
}

function UploadChip({ upload, onRemove }: { upload: Upload; onRemove: () => void }) {
  const uploading = isUploading(upload);
  const percent = upload.size > 0 ? Math.min(100, Math.round((upload.sent / upload.size) * 100)) : 0;
  return (
    <li className={upload.error ? 'upload-chip failed' : 'upload-chip'} aria-label={upload.name}>
      {upload.previewUrl ? <img className="upload-preview" src={upload.previewUrl} alt={`Preview of ${upload.name}`} /> : <FileTypeBadge name={upload.name} />}
      <div className="upload-text">
        <span className="upload-name" title={upload.name}>{upload.name}</span>
        {upload.error ? (
          <span className="form-error" role="alert">{upload.error}</span>
        ) : uploading ? (
          <progress max={100} value={percent} aria-label={`Uploading ${upload.name}`} />
        ) : (
          <span className="muted">{formatBytes(upload.size)}</span>
        )}
      </div>
      <button
        className="icon-button"
        aria-label={uploading ? `Cancel the upload of ${upload.name}` : `Remove ${upload.name}`}
        title={uploading ? 'Cancel upload' : 'Remove'}
        onClick={onRemove}
      >
        <Icon name="close" size={16} />
      </button>
    </li>
  );
}

/**
 * The files a paste carries. A pasted screenshot arrives as "image.png"; it is named after the
 * time of the paste, as Mattermost's web client names it, so that two of them can be told apart.
 */
export function pastedFiles(data: DataTransfer): File[] {
  const files = [...data.files];
  const at = new Date();
  const stamp = `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()} ${at.getHours()}-${String(at.getMinutes()).padStart(2, '0')}`;
  return files.map((f, i) => {
    if (!f.type.startsWith('image/') || (f.name && f.name !== 'image.png')) return f;
    const extension = f.type.slice('image/'.length).split('+')[0].replace('jpeg', 'jpg');
    const suffix = files.length > 1 ? ` (${i + 1})` : '';
    return new File([f], `Image Pasted at ${stamp}${suffix}.${extension}`, { type: f.type });
  });
}
