import { useEffect, useRef, useState } from 'react';
import { update, useStore } from '../../state/store';
import { logout } from '../../state/session';
import { mayOpenConsole, setMyStatus } from '../../state/users';
import { navigate } from '../../state/router';
import { Avatar, statusLabel } from '../common/Avatar';
import { integrationsPath } from '../../state/router';
import { useIntegrationSections } from '../../state/integrations';

export function UserMenu() {
  const me = useStore((s) => s.me);
  const [open, setOpen] = useState(false);
  const currentTeam = useStore((s) => s.teams[s.currentTeamId]);
  const teamName = currentTeam?.name ?? '';
  const integrationSections = useIntegrationSections(currentTeam?.id ?? '');
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: MouseEvent) => {
      if (!menu.current?.parentElement?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  if (!me) return null;
  const item = (label: string, action: () => void) => (
    <button role="menuitem" onClick={() => { setOpen(false); action(); }}>{label}</button>
  );
  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape') setOpen(false);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
      const i = items.indexOf(document.activeElement as HTMLElement);
      items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
    }
  }

  return (
    <div className="user-menu" onKeyDown={onKeyDown}>
      <button className="user-menu-button" aria-haspopup="menu" aria-expanded={open} aria-label={`Account menu for ${me.username}`} onClick={() => setOpen(!open)}>
        <Avatar userId={me.id} size={28} showStatus />
      </button>
      {open && (
        <div className="menu" role="menu" ref={menu} aria-label="Account">
          <p className="menu-heading">@{me.username}</p>
          {(['online', 'away', 'dnd', 'offline'] as const).map((st) => item(`Set status: ${statusLabel(st)}`, () => void setMyStatus(st)))}
          <hr />
          {item('Invite people', () => update(() => ({ modal: { kind: 'invitePeople' } })))}
          {item('Settings', () => update(() => ({ modal: { kind: 'settings' } })))}
          {mayOpenConsole(me) && item('System console', () => navigate('/admin_console/user_management/users'))}
          {teamName && integrationSections && integrationSections.length > 0 && item('Integrations', () => navigate(integrationsPath(teamName)))}
          {item('Log out', () => void logout())}
        </div>
      )}
    </div>
  );
}
