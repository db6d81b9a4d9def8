// The System Console for system admins, at Mattermost's /admin_console/<group>/<page> paths.
// The whole console is one lazily loaded chunk (App imports it with React.lazy), so the chat
// never downloads it; each page is a file of its own in this folder.
import type { ReactNode } from 'react';
import { navigate } from '../../state/router';
import Analytics from './AnalyticsSection';
import Audits from './AuditsSection';
import { Authentication, AUTHENTICATION_PAGES } from './AuthenticationSection';
import Channels from './ChannelsSection';
import Database from './DatabaseSection';
import Doctor from './DoctorSection';
import FileStorage from './FilesSection';
import Jobs from './JobsSection';
import Logs from './LogsSection';
import Permissions from './PermissionsSection';
import Push from './PushSection';
import { AnnouncementBannerSettings, Customization } from './SiteSection';
import Smtp from './SmtpSection';
import Teams from './TeamsSection';
import Users from './UsersSection';
import './console.css';

type Page = { path: string; label: string; render: (rest: string) => ReactNode };

const GROUPS: { title: string; pages: Page[] }[] = [
  {
    title: 'Reporting',
    pages: [
      { path: 'reporting/system_analytics', label: 'Site statistics', render: () => <Analytics /> },
      { path: 'reporting/server_logs', label: 'Server logs', render: () => <Logs /> },
      { path: 'reporting/rollout_checklist', label: 'Rollout checklist', render: () => <Doctor /> },
    ],
  },
  {
    title: 'User management',
    pages: [
      { path: 'user_management/users', label: 'Users', render: () => <Users /> },
      { path: 'user_management/teams', label: 'Teams', render: () => <Teams /> },
      { path: 'user_management/channels', label: 'Channels', render: () => <Channels /> },
      { path: 'user_management/permissions', label: 'Permissions', render: (rest) => <Permissions rest={rest} /> },
    ],
  },
  {
    title: 'Environment',
    pages: [
      { path: 'environment/database', label: 'Database', render: () => <Database /> },
      { path: 'environment/file_storage', label: 'File storage', render: () => <FileStorage /> },
      { path: 'environment/smtp', label: 'SMTP', render: () => <Smtp /> },
      { path: 'environment/push_notification_server', label: 'Push notification server', render: () => <Push /> },
      { path: 'environment/jobs', label: 'Jobs', render: () => <Jobs /> },
    ],
  },
  {
    title: 'Site configuration',
    pages: [
      { path: 'site_config/customization', label: 'Customization', render: () => <Customization /> },
      { path: 'site_config/announcement_banner', label: 'Announcement banner', render: () => <AnnouncementBannerSettings /> },
    ],
  },
  {
    title: 'Authentication',
    pages: AUTHENTICATION_PAGES.map(([page, label]) => ({
      path: `authentication/${page}`,
      label,
      render: () => <Authentication page={page} />,
    })),
  },
  {
    title: 'Compliance',
    pages: [{ path: 'compliance/audits', label: 'Audit log', render: () => <Audits /> }],
  },
];

const PAGES = GROUPS.flatMap((g) => g.pages);
const DEFAULT = 'user_management/users';

/** The page a console path shows, and what follows its path (a scheme's id). */
export function pageFor(section: string): { page: Page; rest: string } {
  const page = PAGES.find((p) => section === p.path || section.startsWith(`${p.path}/`)) ?? PAGES.find((p) => p.path === DEFAULT)!;
  return { page, rest: section.slice(page.path.length + 1) };
}

export default function AdminConsole({ section }: { section: string }) {
  const { page, rest } = pageFor(section);
  const link = (p: Page) => (
    <a
      key={p.path}
      href={`/admin_console/${p.path}`}
      aria-current={p === page ? 'page' : undefined}
      onClick={(e) => { e.preventDefault(); navigate(`/admin_console/${p.path}`); }}
    >
      {p.label}
    </a>
  );
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="System console">
        <h1>System console</h1>
        {GROUPS.map((g) => (
          <div key={g.title} className="admin-nav-group" role="group" aria-label={g.title}>
            <span className="admin-nav-title">{g.title}</span>
            {g.pages.map(link)}
          </div>
        ))}
        <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>← Back to chat</a>
      </nav>
      <main className="admin-main">{page.render(rest)}</main>
    </div>
  );
}
