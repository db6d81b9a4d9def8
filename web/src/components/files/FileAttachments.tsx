// A message's files (`metadata.files`): pictures as thumbnails that open the lightbox, other
// files as cards with name, type and size that download the file.
import type { FileInfo } from '@mattermost/types/files';
import type { Post } from '@mattermost/types/posts';
import { update } from '../../state/store';
import { formatBytes } from '../../state/uploads';
import { Icon } from '../common/Icon';
import { FileTypeBadge } from './FileTypeBadge';
import { downloadUrl, fitWithin, isPicture, largeUrl, thumbnailUrl } from './files';

// A lone picture is shown large, several as a row of thumbnails (the server's are 120 × 100).
const SINGLE_BOX = { width: 400, height: 300 };
const THUMBNAIL_BOX = { width: 120, height: 100 };

export function FileAttachments({ post }: { post: Post }) {
  const files = post.metadata?.files ?? [];
  if (files.length === 0) return null;
  const pictures = files.filter(isPicture);
  const others = files.filter((f) => !isPicture(f));
  const open = (f: FileInfo) => update(() => ({ modal: { kind: 'lightbox', postId: post.id, fileId: f.id } }));
  return (
    <div className="file-attachments">
      {pictures.length > 0 && (
        <ul className="picture-list" aria-label="Pictures">
          {pictures.map((f) => (
            <li key={f.id}><Picture file={f} single={pictures.length === 1} onOpen={() => open(f)} /></li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <ul className="file-list" aria-label="Files">
          {others.map((f) => <li key={f.id}><FileCard file={f} /></li>)}
        </ul>
      )}
    </div>
  );
}

function Picture({ file, single, onOpen }: { file: FileInfo; single: boolean; onOpen: () => void }) {
  // The size is set before the image arrives, so the message list can measure the row at once.
  const box = single ? SINGLE_BOX : THUMBNAIL_BOX;
  const size = single ? fitWithin(file.width, file.height, box.width, box.height) : box;
  return (
    <button className={single ? 'picture single' : 'picture'} aria-label={`Open ${file.name}`} title={file.name} onClick={onOpen}>
      <img src={single ? largeUrl(file) : thumbnailUrl(file)} alt={file.name} width={size.width} height={size.height} loading="lazy" />
    </button>
  );
}

function FileCard({ file }: { file: FileInfo }) {
  return (
    <div className="file-card" role="group" aria-label={file.name}>
      <FileTypeBadge name={file.name} />
      <div className="file-card-text">
        <a className="file-card-name" href={downloadUrl(file)} download={file.name} title={file.name}>{file.name}</a>
        <span className="muted">{(file.extension || 'file').toUpperCase()} · {formatBytes(file.size)}</span>
      </div>
      <a className="icon-button" href={downloadUrl(file)} download={file.name} aria-label={`Download ${file.name}`} title="Download">
        <Icon name="download" />
      </a>
    </div>
  );
}
