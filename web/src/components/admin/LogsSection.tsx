// Reporting → Server logs (/admin_console/reporting/server_logs): `GET /logs`, the server's
// log lines (Mattermost's plain log listing), newest last.
import { useState } from 'react';
import { client } from '../../client';
import { useLoad } from './useLoad';

const PER_PAGE = 1000;

export default function Logs() {
  const [filter, setFilter] = useState('');
  const { data, error, reload } = useLoad(() => client.getPlainLogs(0, PER_PAGE) as Promise<string[]>);
  const lines = (data ?? []).filter((line) => !filter || line.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="logs-title" className="console-section">
      <h2 id="logs-title">Server logs</h2>
      <div className="inline-form">
        <input aria-label="Filter log lines" placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button onClick={() => void reload()}>Reload</button>
      </div>
      {error && <p className="form-error" role="alert">Could not load the server logs: {error}</p>}
      {data && <pre className="console-logs" aria-label="Log lines" tabIndex={0}>{lines.join('\n') || 'No log lines.'}</pre>}
    </section>
  );
}
