// User Management → Permissions (/admin_console/user_management/permissions): the schemes
// (`/schemes`), a new team or channel scheme, each scheme's roles' permissions
// (`PUT /roles/{id}/patch`) and the teams or channels a scheme governs. The system scheme
// (…/permissions/system_scheme) edits the built-in roles.
import { useEffect, useState } from 'react';
import type { Role } from '@mattermost/types/roles';
import type { Scheme } from '@mattermost/types/schemes';
import type { ChannelWithTeamData } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { client } from '../../client';
import { navigate } from '../../state/router';
import { describeError } from './configForm';
import { changedRoles, permissionRows, SCHEME_ROLES, SYSTEM_SCHEME_ROLES, togglePermission } from './permissions';
import { useLoad } from './useLoad';

const BASE = '/admin_console/user_management/permissions';

export default function Permissions({ rest }: { rest: string }) {
  const [kind, id] = rest.split('/');
  if (kind === 'system_scheme') return <SystemScheme />;
  if ((kind === 'team_override_scheme' || kind === 'channel_scheme') && id) return <SchemeEditor key={id} schemeId={id} />;
  return <SchemeList />;
}

function SchemeList() {
  const { data, error, act } = useLoad(() => client.getSchemes('', 0, 200));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [scope, setScope] = useState<'team' | 'channel'>('channel');
  const open = (s: Scheme) => navigate(`${BASE}/${s.scope === 'team' ? 'team_override_scheme' : 'channel_scheme'}/${s.id}`);
  return (
    <section aria-labelledby="permissions-title" className="console-section">
      <h2 id="permissions-title">Permission schemes</h2>
      <p><a href={`${BASE}/system_scheme`} onClick={(e) => { e.preventDefault(); navigate(`${BASE}/system_scheme`); }}>Edit the system scheme</a> (the permissions everywhere no scheme overrides).</p>
      <form className="inline-form" aria-label="Create a scheme" onSubmit={(e) => {
        e.preventDefault();
        void act(async () => open(await client.createScheme({ display_name: name.trim(), description, scope })));
      }}>
        <input aria-label="Scheme name" placeholder="Scheme name" value={name} onChange={(e) => setName(e.target.value)} required />
        <input aria-label="Scheme description" placeholder="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
        <select aria-label="Scheme scope" value={scope} onChange={(e) => setScope(e.target.value as 'team' | 'channel')}>
          <option value="channel">Channel scheme</option>
          <option value="team">Team scheme</option>
        </select>
        <button type="submit" className="primary">Create scheme</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Scheme</th><th scope="col">Scope</th><th scope="col">Description</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(data ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.display_name}</td>
              <td>{s.scope === 'team' ? 'Team' : 'Channel'}</td>
              <td>{s.description}</td>
              <td>
                <div className="row-actions">
                  <button onClick={() => open(s)}>Edit</button>
                  <button className="danger" onClick={() => window.confirm(`Delete ${s.display_name}?`) && void act(() => client.deleteScheme(s.id))}>Delete</button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SystemScheme() {
  return (
    <section aria-labelledby="system-scheme-title" className="console-section">
      <BackLink />
      <h2 id="system-scheme-title">System scheme</h2>
      <RoleEditor slots={SYSTEM_SCHEME_ROLES} />
    </section>
  );
}

function SchemeEditor({ schemeId }: { schemeId: string }) {
  const { data: scheme, error } = useLoad(() => client.getScheme(schemeId), [schemeId]);
  const scope = scheme?.scope === 'team' ? 'team' : 'channel';
  const slots = scheme
    ? SCHEME_ROLES[scope].map(([field, label, kind]): [string, string, 'team' | 'channel'] => [String((scheme as unknown as Record<string, string>)[field] ?? ''), label, kind]).filter(([name]) => name)
    : [];
  return (
    <section aria-labelledby="scheme-title" className="console-section">
      <BackLink />
      <h2 id="scheme-title">{scheme ? `${scheme.display_name} (${scope} scheme)` : 'Scheme'}</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      {scheme && (
        <>
          {scheme.description && <p>{scheme.description}</p>}
          <RoleEditor slots={slots} />
          {scope === 'team' ? <AssignTeams scheme={scheme} /> : <AssignChannels scheme={scheme} />}
        </>
      )}
    </section>
  );
}

function BackLink() {
  return <a href={BASE} onClick={(e) => { e.preventDefault(); navigate(BASE); }}>← Permission schemes</a>;
}

/** A checkbox per permission and role; Save patches the roles that changed. */
function RoleEditor({ slots }: { slots: [name: string, label: string, kind: 'team' | 'channel'][] }) {
  const names = slots.map(([name]) => name);
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const [edited, setEdited] = useState<Record<string, string[]>>({});
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const key = names.join(' ');
  useEffect(() => {
    if (!key) return;
    client.getRolesByNames(key.split(' ')).then((list) => {
      setRoles(Object.fromEntries(list.map((r) => [r.name, r])));
      setEdited(Object.fromEntries(list.map((r) => [r.name, r.permissions])));
    }, (e) => setError(describeError(e)));
  }, [key]);

  const saved = Object.fromEntries(Object.values(roles).map((r) => [r.name, r.permissions]));
  const changed = changedRoles(saved, edited);

  async function save() {
    setError('');
    setStatus('');
    setSaving(true);
    try {
      const updated = await Promise.all(changed.map((name) => client.patchRole(roles[name].id, { permissions: edited[name] })));
      setRoles({ ...roles, ...Object.fromEntries(updated.map((r) => [r.name, r])) });
      setStatus('Permissions saved.');
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="console-roles">
      {slots.map(([name, label, kind]) => roles[name] && (
        <fieldset key={name} className="console-group">
          <legend>{label} <code>{name}</code></legend>
          {permissionRows(kind, edited[name] ?? []).map(([permission, text]) => (
            <label key={permission} className="console-permission">
              <input
                type="checkbox"
                aria-label={`${text} for ${label}`}
                checked={(edited[name] ?? []).includes(permission)}
                onChange={(e) => { setStatus(''); setEdited({ ...edited, [name]: togglePermission(edited[name] ?? [], permission, e.target.checked) }); }}
              />
              {text}
            </label>
          ))}
        </fieldset>
      ))}
      <div className="console-actions">
        <button className="primary" disabled={saving || changed.length === 0} onClick={() => void save()}>{saving ? 'Saving…' : 'Save permissions'}</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {status && <p className="form-status" role="status">{status}</p>}
    </div>
  );
}

function AssignTeams({ scheme }: { scheme: Scheme }) {
  const { data, error, act } = useLoad(async () => {
    const [all, assigned] = await Promise.all([client.getTeams(0, 200) as Promise<Team[]>, client.getSchemeTeams(scheme.id, 0, 200)]);
    return { all, assigned };
  }, [scheme.id]);
  const [choice, setChoice] = useState('');
  return (
    <Assigned
      title="Teams using this scheme"
      error={error}
      assigned={(data?.assigned ?? []).map((t) => [t.id, t.display_name])}
      options={(data?.all ?? []).filter((t) => t.scheme_id !== scheme.id).map((t) => [t.id, t.display_name])}
      choice={choice}
      setChoice={setChoice}
      noun="team"
      onAssign={() => void act(() => client.updateTeamScheme(choice, scheme.id)).then((ok) => ok && setChoice(''))}
      onRemove={(id) => void act(() => client.updateTeamScheme(id, ''))}
    />
  );
}

function AssignChannels({ scheme }: { scheme: Scheme }) {
  const { data, error, act } = useLoad(async () => {
    const [all, assigned] = await Promise.all([
      client.searchAllChannels('', {}) as Promise<ChannelWithTeamData[]>,
      client.getSchemeChannels(scheme.id, 0, 200),
    ]);
    return { all, assigned };
  }, [scheme.id]);
  const [choice, setChoice] = useState('');
  return (
    <Assigned
      title="Channels using this scheme"
      error={error}
      assigned={(data?.assigned ?? []).map((c) => [c.id, c.display_name])}
      options={(data?.all ?? []).filter((c) => c.scheme_id !== scheme.id).map((c) => [c.id, `${c.display_name} (${c.team_display_name})`])}
      choice={choice}
      setChoice={setChoice}
      noun="channel"
      onAssign={() => void act(() => client.updateChannelScheme(choice, scheme.id)).then((ok) => ok && setChoice(''))}
    />
  );
}

function Assigned({ title, error, assigned, options, choice, setChoice, noun, onAssign, onRemove }: {
  title: string;
  error: string;
  assigned: [string, string][];
  options: [string, string][];
  choice: string;
  setChoice: (v: string) => void;
  noun: string;
  onAssign: () => void;
  onRemove?: (id: string) => void;
}) {
  return (
    <fieldset className="console-group">
      <legend>{title}</legend>
      {assigned.length === 0 ? <p className="console-help">None yet.</p> : (
        <ul className="console-assigned" aria-label={title}>
          {assigned.map(([id, label]) => (
            <li key={id}>{label} {onRemove && <button onClick={() => onRemove(id)}>Remove</button>}</li>
          ))}
        </ul>
      )}
      <form className="inline-form" aria-label={`Assign a ${noun}`} onSubmit={(e) => { e.preventDefault(); if (choice) onAssign(); }}>
        <select aria-label={`${noun[0].toUpperCase()}${noun.slice(1)} to assign`} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Choose a {noun}…</option>
          {options.map(([id, label]) => <option key={id} value={id}>{label}</option>)}
        </select>
        <button type="submit" disabled={!choice}>Assign</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
    </fieldset>
  );
}
