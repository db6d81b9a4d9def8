// Compliance → Audit log (/admin_console/compliance/audits): `GET /audits`, a page at a time.
import { useState } from 'react';
import type { Audit } from '@mattermost/types/audits';
import { client } from '../../client';
import { useLoad } from './useLoad';

const PER_PAGE = 100;

export default function Audits() {
  const [page, setPage] = useState(0);
  const { data, error } = useLoad(() => client.getAudits(page, PER_PAGE) as Promise<Audit[]>, [page]);
  return (
    <section aria-labelledby="audits-title" className="console-section">
      <h2 id="audits-title">Audit log</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Time</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Details</th><th scope="col">IP address</th></tr></thead>
        <tbody>
          {(data ?? []).map((a) => (
            <tr key={a.id}>
              <td>{new Date(a.create_at).toLocaleString()}</td>
              <td><code>{a.user_id || '—'}</code></td>
              <td>{a.action}</td>
              <td>{a.extra_info}</td>
              <td>{a.ip_address}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="console-actions">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>Newer</button>
        <button disabled={(data?.length ?? 0) < PER_PAGE} onClick={() => setPage(page + 1)}>Older</button>
      </div>
    </section>
  );
}
