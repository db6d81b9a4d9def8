// System console for system admins: users (create, deactivate, change role) and teams.
import { useEffect, useState, type FormEvent } from 'react';
import type { UserProfile } from '@mattermost/types/users';
import type { Team } from '@mattermost/types/teams';
import { client, errorMessage } from '../../client';
import { navigate } from '../../state/router';
import { createTeam, slugify } from '../../state/channels';
import { isSystemAdmin } from '../../state/users';
import { useStore } from '../../state/store';

export default function AdminConsole({ section }: { section: 'users' | 'teams' }) {
  const link = (to: string, label: string, active: boolean) => (
    <a href={to} aria-current={active ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(to); }}>{label}</a>
  );
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="System console">
        <h1>System console</h1>
        {link('/admin_console/user_management/users', 'Users', section === 'users')}
        {link('/admin_console/user_management/teams', 'Teams', section === 'teams')}
        {link('/', '← Back to chat', false)}
      </nav>
      <main className="admin-main">{section === 'users' ? <Users /> : <Teams />}</main>
    </div>
  );
}

function Users() {
  const me = useStore((s) => s.me);
  const [users, setUsers] = useState<UserProfile[]>([]);
  const [error, setError] = useState('');
  const [query, setQuery] = useState('');
  const reload = () => client.getProfiles(0, 200, { active: undefined }).then(setUsers).catch((e) => setError(errorMessage(e)));
  useEffect(() => void reload(), []);

  async function act(action: () => Promise<unknown>) {
    setError('');
    try {
      await action();
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const q = query.trim().toLowerCase();
  const shown = users.filter((u) => !q || u.username.includes(q) || u.email.toLowerCase().includes(q));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <CreateUser onCreated={() => void reload()} />
      <input aria-label="Filter users" placeholder="Filter by username or email" value={query} onChange={(e) => setQuery(e.target.value)} />
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {shown.map((u) => {
            const admin = isSystemAdmin(u);
            const active = u.delete_at === 0;
            return (
              <tr key={u.id}>
                <td>@{u.username}</td>
                <td>{u.email}</td>
                <td>{admin ? 'System admin' : 'Member'}</td>
                <td>{active ? 'Active' : 'Deactivated'}</td>
                <td>
                  {u.id !== me?.id && (
                    <div className="row-actions">
                      <button onClick={() => void act(() => client.updateUserRoles(u.id, admin ? 'system_user' : 'system_user system_admin'))}>
                        {admin ? 'Make member' : 'Make admin'}
                      </button>
                      <button className={active ? 'danger' : ''} onClick={() => void act(() => client.updateUserActive(u.id, !active))}>
                        {active ? 'Deactivate' : 'Activate'}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    try {
      await client.createUser({ email, username, password } as UserProfile, '', '');
      setEmail('');
      setUsername('');
      setPassword('');
      onCreated();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create a user">
      <input aria-label="New user's email" placeholder="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <input aria-label="New user's username" placeholder="Username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      <input aria-label="New user's password" placeholder="Password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <button type="submit" className="primary">Create user</button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}

function Teams() {
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const reload = () => client.getTeams(0, 200).then((t) => setTeams(t as Team[])).catch((e) => setError(errorMessage(e)));
  useEffect(() => void reload(), []);

  async function act(action: () => Promise<unknown>) {
    setError('');
    try {
      await action();
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <form className="inline-form" aria-label="Create a team" onSubmit={(e) => { e.preventDefault(); void act(() => createTeam(name.trim(), slugify(name))).then(() => setName('')); }}>
        <input aria-label="New team name" placeholder="Team name" value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" className="primary">Create team</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Team</th><th scope="col">URL</th><th scope="col">Access</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {teams.map((t) => (
            <tr key={t.id}>
              <td>{t.display_name}</td>
              <td>/{t.name}</td>
              <td>{t.allow_open_invite ? 'Anyone can join' : 'Invite only'}</td>
              <td>
                <div className="row-actions">
                <button onClick={() => void act(() => client.patchTeam({ id: t.id, allow_open_invite: !t.allow_open_invite }))}>
                  {t.allow_open_invite ? 'Make invite only' : 'Let anyone join'}
                </button>
                <button className="danger" onClick={() => window.confirm(`Archive ${t.display_name}?`) && void act(() => client.deleteTeam(t.id))}>Archive</button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
