// Environment → Jobs (/admin_console/environment/jobs): `GET /jobs`, run one now
// (`POST /jobs`) and cancel a pending or running one (`POST /jobs/{id}/cancel`).
import { useState } from 'react';
import type { Job, JobType } from '@mattermost/types/jobs';
import { client } from '../../client';
import { useLoad } from './useLoad';

const TYPES: [string, string][] = [
  ['data_retention', 'Data retention'],
  ['message_export', 'Compliance export'],
  ['ldap_sync', 'AD/LDAP synchronization'],
  ['migrations', 'Migrations'],
  ['export_process', 'Bulk export'],
  ['expiry_notify', 'Expiry notifications'],
  ['product_notices', 'Product notices'],
];

export default function Jobs() {
  const [type, setType] = useState(TYPES[0][0]);
  const { data, error, act } = useLoad(() => client.getJobs(0, 100) as Promise<Job[]>);
  return (
    <section aria-labelledby="jobs-title" className="console-section">
      <h2 id="jobs-title">Jobs</h2>
      <form className="inline-form" aria-label="Run a job" onSubmit={(e) => { e.preventDefault(); void act(() => client.createJob({ type: type as JobType })); }}>
        <select aria-label="Job type" value={type} onChange={(e) => setType(e.target.value)}>
          {TYPES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select>
        <button type="submit" className="primary">Run now</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin-table">
        <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Progress</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(data ?? []).map((job) => (
            <tr key={job.id}>
              <td>{job.type}</td>
              <td>{job.status}</td>
              <td>{new Date(job.create_at).toLocaleString()}</td>
              <td>{job.progress >= 0 ? `${job.progress}%` : ''}</td>
              <td>
                {(job.status === 'pending' || job.status === 'in_progress') && (
                  <button className="danger" onClick={() => void act(() => client.cancelJob(job.id))}>Cancel</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
