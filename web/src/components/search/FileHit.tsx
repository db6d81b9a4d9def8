// One file found: its type, name (a download), channel, size and time, and "Jump" to its message.
import type { FileSearchResultItem } from '@mattermost/types/files';
import { useStore } from '../../state/store';
import { navigate } from '../../state/router';
import { formatBytes } from '../../state/uploads';
import { FileTypeBadge } from '../files/FileTypeBadge';
import { downloadUrl } from '../files/files';
import { hitChannelName, hitPermalink, hitTime } from './hitPlace';

export function FileHit({ file }: { file: FileSearchResultItem }) {
  const channelName = useStore((s) => hitChannelName(s, file.channel_id));
  const permalink = useStore((s) => (file.post_id ? hitPermalink(s, file.channel_id, file.post_id) : ''));
  return (
    <article className="search-hit file-hit" aria-label={file.name}>
      <FileTypeBadge name={file.name} />
      <div className="file-card-text">
        <a className="file-card-name" href={downloadUrl(file)} download={file.name} title={file.name}>{file.name}</a>
        <span className="muted">{channelName} · {formatBytes(file.size)} · {hitTime(file.create_at)}</span>
      </div>
      {permalink && <a className="search-jump" href={permalink} onClick={(e) => { e.preventDefault(); navigate(permalink); }}>Jump</a>}
    </article>
  );
}
