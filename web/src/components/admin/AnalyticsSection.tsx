// Reporting → Site statistics (/admin_console/reporting/system_analytics):
// `GET /analytics/old?name=standard` ([{name, value}]) as figures, and `post_counts_day`,
// `user_counts_with_posts_day` ([{name: 'YYYY-MM-DD', value}]) as charts.
import { client } from '../../client';
import { BarChart, LineChart } from './Charts';
import type { Point } from './charts';
import { useLoad } from './useLoad';

const FIGURES: [string, string][] = [
  ['unique_user_count', 'Total active users'],
  ['inactive_user_count', 'Deactivated users'],
  ['team_count', 'Total teams'],
  ['channel_open_count', 'Public channels'],
  ['channel_private_count', 'Private channels'],
  ['post_count', 'Total posts'],
  ['total_websocket_connections', 'WebSocket connections'],
  ['total_master_db_connections', 'Database connections'],
  ['daily_active_users', 'Daily active users'],
  ['monthly_active_users', 'Monthly active users'],
];

const analytics = (name: string) => client.getAnalytics(name) as unknown as Promise<Point[]>;

export default function Analytics() {
  const standard = useLoad(() => analytics('standard'));
  const posts = useLoad(() => analytics('post_counts_day'));
  const users = useLoad(() => analytics('user_counts_with_posts_day'));
  const values = new Map((standard.data ?? []).map((p) => [p.name, p.value]));
  return (
    <section aria-labelledby="analytics-title" className="console-section">
      <h2 id="analytics-title">Site statistics</h2>
      {standard.error && <p className="form-error" role="alert">Could not load the statistics: {standard.error}</p>}
      {standard.data && (
        <dl className="console-figures">
          {FIGURES.filter(([name]) => values.has(name)).map(([name, label]) => (
            <div key={name}><dt>{label}</dt><dd>{values.get(name)}</dd></div>
          ))}
        </dl>
      )}
      {posts.error ? <p className="form-error" role="alert">Could not load posts per day: {posts.error}</p> : posts.data && <BarChart title="Total posts per day" data={posts.data} />}
      {users.error ? <p className="form-error" role="alert">Could not load active users per day: {users.error}</p> : users.data && <LineChart title="Active users with posts per day" data={users.data} />}
    </section>
  );
}
