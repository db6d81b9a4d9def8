import type { Team } from '@mattermost/types/teams';
import { useStore } from '../../state/store';
import { ChannelSwitcher } from './ChannelSwitcher';
import { BrowseChannels } from './BrowseChannels';
import { CreateChannel } from './CreateChannel';
import { DirectMessage } from './DirectMessage';
import { EditChannel } from './EditChannel';
import { Settings } from './Settings';
import { ChannelNotifications } from './ChannelNotifications';
import { ProfilePopover } from './ProfilePopover';
import { ConfirmDelete } from './ConfirmDelete';
import { Lightbox } from '../files/Lightbox';
import { InvitePeople } from './InvitePeople';
import { InteractiveDialog } from '../interactive/InteractiveDialog';

export function Modals({ team }: { team: Team }) {
  const modal = useStore((s) => s.modal);
  switch (modal?.kind) {
    case 'switcher':
      return <ChannelSwitcher team={team} />;
    case 'browseChannels':
      return <BrowseChannels team={team} />;
    case 'createChannel':
      return <CreateChannel team={team} />;
    case 'directMessage':
      return <DirectMessage team={team} />;
    case 'editChannel':
      return <EditChannel channelId={modal.channelId} field={modal.field} />;
    case 'settings':
      return <Settings />;
    case 'channelNotifications':
      return <ChannelNotifications channelId={modal.channelId} />;
    case 'profile':
      return <ProfilePopover userId={modal.userId} x={modal.x} y={modal.y} team={team} />;
    case 'confirmDelete':
      return <ConfirmDelete postId={modal.postId} />;
    case 'lightbox':
      return <Lightbox postId={modal.postId} fileId={modal.fileId} />;
    case 'invitePeople':
      return <InvitePeople team={team} />;
    case 'interactiveDialog':
      return <InteractiveDialog key={modal.request.trigger_id} request={modal.request} />;
    default:
      return null;
  }
}
