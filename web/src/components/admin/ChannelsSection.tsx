// User Management → Channels (/admin_console/user_management/channels): every team's
// channels (`POST /channels/search`), archive and restore, public or private, the channel's
// permission scheme (`PUT /channels/{id}/scheme`) and its moderation
// (`/channels/{id}/moderations`, `…/moderations/patch`).
import { useState } from 'react';
import type { ChannelModeration, ChannelWithTeamData } from '@mattermost/types/channels';
import type { Scheme } from '@mattermost/types/schemes';
import { client } from '../../client';
import { describeError } from './configForm';
import { useLoad } from './useLoad';
import ArchiveButton from './ArchiveButton';

export default function Channels() {
  const [term, setTerm] = useState('');
  const [moderating, setModerating] = useState<ChannelWithTeamData | null>(null);
  const { data, error, act } = useLoad(async () => {
    const [channels, schemes] = await Promise.all([
      client.searchAllChannels(term.trim(), { include_deleted: true }) as Promise<ChannelWithTeamData[]>,
      client.getSchemes('channel', 0, 200),
    ]);
    return { channels, schemes };
  }, [term]);
  const schemes: Scheme[] = data?.schemes ?? [];
  return (
    <section aria-labelledby="channels-title" className="console-section">
      <h2 id="channels-title">Channels</h2>
      <input aria-label="Search channels" placeholder="Search channels" value={term} onChange={(e) => setTerm(e.target.value)} />
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Channel</th><th scope="col">Team</th><th scope="col">Privacy</th><th scope="col">Scheme</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(data?.channels ?? []).map((c) => {
            const archived = c.delete_at > 0;
            return (
              <tr key={c.id}>
                <td>{c.display_name}{archived && ' (archived)'}</td>
                <td>{c.team_display_name}</td>
                <td>{c.type === 'P' ? 'Private' : 'Public'}</td>
                <td>
                  <select aria-label={`Scheme of ${c.display_name}`} value={c.scheme_id ?? ''} onChange={(e) => e.target.value && void act(() => client.updateChannelScheme(c.id, e.target.value))}>
                    <option value="">Team's scheme</option>
                    {schemes.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
                  </select>
                </td>
                <td>
                  <div className="row-actions">
                    {!archived && (
                      <button onClick={() => void act(() => client.updateChannelPrivacy(c.id, c.type === 'P' ? 'O' : 'P'))}>
                        {c.type === 'P' ? 'Make public' : 'Make private'}
                      </button>
                    )}
                    {!archived && <button onClick={() => setModerating(c)}>Moderation</button>}
                    <ArchiveButton archived={archived} name={c.display_name}
                      archive={() => void act(() => client.deleteChannel(c.id))} restore={() => void act(() => client.unarchiveChannel(c.id))} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {moderating && <Moderation key={moderating.id} channel={moderating} onClose={() => setModerating(null)} />}
    </section>
  );
}

const MODERATED: Record<string, string> = {
  create_post: 'Create posts',
  create_reactions: 'Post reactions',
  manage_members: 'Manage members',
  use_channel_mentions: 'Channel mentions',
  manage_bookmarks: 'Manage bookmarks',
};

/** Channel moderation: per moderated permission, whether members and guests have it. */
function Moderation({ channel, onClose }: { channel: ChannelWithTeamData; onClose: () => void }) {
  const { data, error, setError, reload } = useLoad(() => client.getChannelModerations(channel.id));
  const set = (name: string, role: 'members' | 'guests', value: boolean) => {
    client.patchChannelModerations(channel.id, [{ name, roles: { [role]: value } }]).then(() => reload(), (e) => setError(describeError(e)));
  };
  return (
    <section className="console-panel" aria-label={`Moderation of ${channel.display_name}`}>
      <h3>Channel moderation: {channel.display_name}</h3>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Permission</th><th scope="col">Members</th><th scope="col">Guests</th></tr></thead>
        <tbody>
          {(data ?? []).map((m: ChannelModeration) => (
            <tr key={m.name}>
              <td>{MODERATED[m.name] ?? m.name}</td>
              {(['members', 'guests'] as const).map((role) => {
                const r = m.roles[role];
                return (
                  <td key={role}>
                    {r && (
                      <input type="checkbox" aria-label={`${MODERATED[m.name] ?? m.name} for ${role}`} checked={r.value} disabled={!r.enabled} onChange={(e) => set(m.name, role, e.target.checked)} />
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={onClose}>Close</button>
    </section>
  );
}
