// User Management → Teams (/admin_console/user_management/teams): create, archive and
// restore, who may join, and the team's permission scheme (`PUT /teams/{id}/scheme`).
import { useState } from 'react';
import type { Team } from '@mattermost/types/teams';
import type { Scheme } from '@mattermost/types/schemes';
import { client } from '../../client';
import { createTeam, slugify } from '../../state/channels';
import { useLoad } from './useLoad';
import ArchiveButton from './ArchiveButton';

export default function Teams() {
  const [name, setName] = useState('');
  const { data, error, act } = useLoad(async () => {
    const [teams, schemes] = await Promise.all([client.getTeams(0, 200) as Promise<Team[]>, client.getSchemes('team', 0, 200)]);
    return { teams, schemes };
  });
  const schemes: Scheme[] = data?.schemes ?? [];
  return (
    <section aria-labelledby="teams-title" className="console-section">
      <h2 id="teams-title">Teams</h2>
      <form className="inline-form" aria-label="Create a team" onSubmit={(e) => { e.preventDefault(); void act(() => createTeam(name.trim(), slugify(name))).then((ok) => ok && setName('')); }}>
        <input aria-label="New team name" placeholder="Team name" value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" className="primary">Create team</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Team</th><th scope="col">URL</th><th scope="col">Access</th><th scope="col">Scheme</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(data?.teams ?? []).map((t) => {
            const archived = t.delete_at > 0;
            return (
              <tr key={t.id}>
                <td>{t.display_name}{archived && ' (archived)'}</td>
                <td>/{t.name}</td>
                <td>{t.allow_open_invite ? 'Anyone can join' : 'Invite only'}</td>
                <td>
                  <select aria-label={`Scheme of ${t.display_name}`} value={t.scheme_id ?? ''} onChange={(e) => void act(() => client.updateTeamScheme(t.id, e.target.value))}>
                    <option value="">System scheme</option>
                    {schemes.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
                  </select>
                </td>
                <td>
                  <div className="row-actions">
                    {!archived && (
                      <button onClick={() => void act(() => client.patchTeam({ id: t.id, allow_open_invite: !t.allow_open_invite }))}>
                        {t.allow_open_invite ? 'Make invite only' : 'Let anyone join'}
                      </button>
                    )}
                    <ArchiveButton archived={archived} name={t.display_name}
                      archive={() => void act(() => client.deleteTeam(t.id))} restore={() => void act(() => client.unarchiveTeam(t.id))} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
