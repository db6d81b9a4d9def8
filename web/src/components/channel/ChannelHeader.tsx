import type { ServerChannel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { errorMessage } from '../../client';
import { update, useStore } from '../../state/store';
import { channelLabel, dmPartnerId, isFavorite, leaveChannel, setFavorite } from '../../state/channels';
import { Markdown } from '../posts/Markdown';
import { Icon } from '../common/Icon';
import { StatusDot } from '../common/Avatar';

export function ChannelHeader({ channel, team, onOpenSidebar }: { channel: ServerChannel; team: Team; onOpenSidebar: () => void }) {
  const label = useStore((s) => channelLabel(s, channel));
  const favorite = useStore((s) => isFavorite(s, channel.id));
  const partner = useStore((s) => (channel.type === 'D' ? dmPartnerId(s, channel) : ''));
  const panelKind = useStore((s) => s.panel?.kind);
  const membersOpen = panelKind === 'members';
  const togglePanel = (kind: 'pinned' | 'saved') => update((s) => ({ panel: s.panel?.kind === kind ? null : { kind } }));
  const isChannel = channel.type === 'O' || channel.type === 'P';

  async function leave() {
    if (!window.confirm(`Leave ${label}?`)) return;
    try {
      await leaveChannel(team, channel.id);
    } catch (e) {
      window.alert(errorMessage(e));
    }
  }

  return (
    <header className="channel-header">
      <button className="icon-button menu-toggle" aria-label="Open the sidebar" onClick={onOpenSidebar}><Icon name="menu" /></button>
      <div className="channel-heading">
        <h1 id="channel-title">
          {partner ? <StatusDot userId={partner} /> : channel.type === 'P' ? <Icon name="lock" /> : <span aria-hidden="true">{channel.type === 'O' ? '#' : ''}</span>}
          {label}
        </h1>
        {channel.purpose && <p className="channel-purpose" title="Purpose">{channel.purpose}</p>}
        {channel.header && <div className="channel-header-text"><Markdown text={channel.header} cacheKey={`header:${channel.id}:${channel.update_at}`} /></div>}
      </div>
      <div className="channel-actions" role="toolbar" aria-label="Channel actions">
        <button className="icon-button" aria-pressed={favorite} aria-label={favorite ? 'Remove from favorites' : 'Add to favorites'} title={favorite ? 'Remove from favorites' : 'Add to favorites'} onClick={() => void setFavorite(channel.id, !favorite)}>
          <Icon name={favorite ? 'starFilled' : 'star'} />
        </button>
        <button className="icon-button" aria-pressed={panelKind === 'pinned'} aria-label="Pinned messages" title="Pinned messages" onClick={() => togglePanel('pinned')}>
          <Icon name="pin" />
        </button>
        <button className="icon-button" aria-pressed={panelKind === 'saved'} aria-label="Saved messages" title="Saved messages" onClick={() => togglePanel('saved')}>
          <Icon name="bookmark" />
        </button>
        <button className="icon-button" aria-pressed={membersOpen} aria-label="Members" title="Members" onClick={() => update((s) => ({ panel: s.panel?.kind === 'members' ? null : { kind: 'members' } }))}>
          <Icon name="members" />
        </button>
        <details className="channel-menu">
          <summary className="icon-button" aria-label="More channel actions" title="More"><Icon name="more" /></summary>
          {/* Choosing an action closes the menu. */}
          <div className="menu" onClick={(e) => e.currentTarget.closest('details')?.removeAttribute('open')}>
            <button onClick={() => update(() => ({ modal: { kind: 'channelNotifications', channelId: channel.id } }))}>Notification preferences</button>
            {channel.type !== 'D' && (
              <>
                <button onClick={() => update(() => ({ modal: { kind: 'editChannel', channelId: channel.id, field: 'header' } }))}>Edit header</button>
                {isChannel && <button onClick={() => update(() => ({ modal: { kind: 'editChannel', channelId: channel.id, field: 'purpose' } }))}>Edit purpose</button>}
                {channel.name !== 'town-square' && <button onClick={() => void leave()}>Leave channel</button>}
              </>
            )}
          </div>
        </details>
      </div>
    </header>
  );
}
