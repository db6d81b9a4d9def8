// User Management → Users (/admin_console/user_management/users): create, search
// (`/users/search`), filter by status and role, activate/deactivate, change the system role
// (`PUT /users/{id}/roles`), revoke sessions and reset MFA.
import { useState, type FormEvent } from 'react';
import type { UserProfile } from '@mattermost/types/users';
import { client } from '../../client';
import { useStore } from '../../state/store';
import { describeError } from './configForm';
import { roleChoice, roleLabel, SYSTEM_ROLES, withSystemRole } from './roles';
import { useLoad } from './useLoad';

type Status = '' | 'active' | 'inactive';

export default function Users() {
  const me = useStore((s) => s.me);
  const [term, setTerm] = useState('');
  const [status, setStatus] = useState<Status>('');
  const [role, setRole] = useState('');
  const { data, error, act, reload } = useLoad(() => findUsers(term.trim(), status, role), [term, status, role]);
  const [notice, setNotice] = useState('');

  const run = (action: () => Promise<unknown>, done: string) => {
    setNotice('');
    void act(action).then((ok) => ok && setNotice(done));
  };

  return (
    <section aria-labelledby="users-title" className="console-section">
      <h2 id="users-title">Users</h2>
      <CreateUser onCreated={() => void reload()} />
      <div className="inline-form" role="search" aria-label="Find users">
        <input aria-label="Search users" placeholder="Search by name, username or email" value={term} onChange={(e) => setTerm(e.target.value)} />
        <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="inactive">Deactivated</option>
        </select>
        <select aria-label="Role filter" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">Any role</option>
          <option value="system_admin">System admin</option>
          <option value="system_manager">System manager</option>
          <option value="system_user_manager">User manager</option>
          <option value="system_read_only_admin">Read-only admin</option>
          <option value="system_guest">Guest</option>
          <option value="system_user">Member</option>
        </select>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {notice && <p className="form-status" role="status">{notice}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(data ?? []).map((u) => {
            const active = u.delete_at === 0;
            const self = u.id === me?.id;
            return (
              <tr key={u.id}>
                <td>@{u.username}</td>
                <td>{u.email}</td>
                <td>
                  {self || roleChoice(u.roles) === 'system_guest' ? roleLabel(u.roles) : (
                    <select aria-label={`Role of ${u.username}`} value={roleChoice(u.roles)} onChange={(e) => run(() => client.updateUserRoles(u.id, withSystemRole(u.roles, e.target.value)), `@${u.username}'s role changed.`)}>
                      {SYSTEM_ROLES.map(([r, label]) => <option key={r} value={r}>{label}</option>)}
                    </select>
                  )}
                </td>
                <td>{active ? 'Active' : 'Deactivated'}</td>
                <td>
                  {!self && (
                    <div className="row-actions">
                      <button className={active ? 'danger' : ''} onClick={() => run(() => client.updateUserActive(u.id, !active), `@${u.username} ${active ? 'deactivated' : 'activated'}.`)}>
                        {active ? 'Deactivate' : 'Activate'}
                      </button>
                      <button onClick={() => run(() => client.revokeAllSessionsForUser(u.id), `@${u.username}'s sessions revoked.`)}>Revoke sessions</button>
                      {u.mfa_active && <button onClick={() => run(() => client.updateUserMfa(u.id, false, ''), `@${u.username}'s MFA reset.`)}>Reset MFA</button>}
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

/** A page of users: `/users/search` for a term, else `/users` with Mattermost's filters. */
async function findUsers(term: string, status: Status, role: string): Promise<UserProfile[]> {
  if (term) {
    const found = await client.searchUsers(term, { allow_inactive: status !== 'active', limit: 100, ...(role ? { role } : {}) });
    return found.filter((u) => (status === 'inactive' ? u.delete_at > 0 : true));
  }
  return client.getProfiles(0, 200, { ...(status ? { [status]: true } : {}), ...(role ? { role } : {}) });
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
      setError(describeError(err));
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
