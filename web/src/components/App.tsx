import { lazy, Suspense, useEffect } from 'react';
import { useStore } from '../state/store';
import { navigate, parseRoute, usePathname } from '../state/router';
import { mayOpenConsole } from '../state/users';
import { useMfaRequired } from '../state/mfa';
import { finishMfaSetup, invitationInLink } from '../state/session';
import { MfaSetupPage } from './auth/MfaSetup';
import { Login } from './auth/Login';
import { Signup } from './auth/Signup';
import { SelectTeam } from './teams/SelectTeam';
import { CreateTeam } from './teams/CreateTeam';
import { AcceptInvitation } from './teams/AcceptInvitation';
import { TeamShell } from './TeamShell';
import { TermsOfService } from './auth/TermsOfService';
import { useTermsGate } from '../state/terms';
import { OAuthConsent } from './auth/OAuthConsent';

const AdminConsole = lazy(() => import('./admin/AdminConsole'));
const Integrations = lazy(() => import('./integrations/Integrations').then((m) => ({ default: m.Integrations })));

export const LAST_PATH_KEY = 'utmost:lastPath';

/** Replaces the URL once rendered (redirects must not happen during render). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Loads `to` from the server (a page it answers itself, e.g. the OAuth authorization). */
function ServerPage({ to }: { to: string }) {
  useEffect(() => window.location.replace(to), [to]);
  return null;
}

export function App() {
  const booted = useStore((s) => s.booted);
  const me = useStore((s) => s.me);
  const teams = useStore((s) => s.teams);
  const path = usePathname();
  const route = parseRoute(path);
  const mfaRequired = useMfaRequired();
  const termsEnabled = useStore((s) => s.config.EnableCustomTermsOfService === 'true');
  const [terms, termsAccepted] = useTermsGate(me?.id, termsEnabled);

  if (!booted) return <div className="splash" role="status">Loading…</div>;

  if (!me) {
    // The OAuth consent sends here to sign in first, then back (a page the server decides).
    const redirectTo = new URLSearchParams(window.location.search).get('redirect_to');
    if (route.name === 'login' && redirectTo?.startsWith('/oauth/authorize?')) sessionStorage.setItem('utmost:redirect', redirectTo);
    if (route.name === 'signup') return <Signup />;
    if (route.name !== 'login') {
      sessionStorage.setItem('utmost:redirect', path);
      return <Redirect to="/login" />;
    }
    return <Login />;
  }

  if (mfaRequired) {
    if (route.name !== 'mfaSetup') return <Redirect to="/mfa/setup" />;
    return <MfaSetupPage onDone={async () => { await finishMfaSetup(); navigate('/', { replace: true }); }} />;
  }
  // The latest custom terms come before anything else once signed in.
  if (terms.kind === 'checking') return <div className="splash" role="status">Loading…</div>;
  if (terms.kind === 'pending') return <TermsOfService terms={terms.terms} onAccepted={termsAccepted} />;

  switch (route.name) {
    case 'mfaSetup':
      return <Redirect to="/" />;
    case 'signup':
    case 'login':
    case 'root': {
      const invitation = invitationInLink(window.location.search);
      if (route.name === 'signup' && (invitation.token || invitation.inviteId)) return <AcceptInvitation invitation={invitation} />;
      const saved = sessionStorage.getItem('utmost:redirect') || localStorage.getItem(LAST_PATH_KEY);
      sessionStorage.removeItem('utmost:redirect');
      if (saved?.startsWith('/oauth/authorize?')) return <ServerPage to={saved} />;
      const first = Object.values(teams).sort((a, b) => a.display_name.localeCompare(b.display_name))[0];
      const target = saved && saved !== '/' && !saved.startsWith('/login') ? saved : first ? `/${first.name}/channels/town-square` : '/select_team';
      return <Redirect to={target} />;
    }
    case 'selectTeam':
      return <SelectTeam />;
    case 'createTeam':
      return <CreateTeam />;
    case 'oauthAuthorize':
      return <OAuthConsent />;
    case 'integrations':
      return (
        <Suspense fallback={<div className="splash">Loading…</div>}>
          <Integrations team={route.team} section={route.section} />
        </Suspense>
      );
    case 'admin':
      if (!mayOpenConsole(me)) return <Redirect to="/" />;
      return (
        <Suspense fallback={<div className="splash">Loading…</div>}>
          <AdminConsole section={route.section} />
        </Suspense>
      );
    default:
      return <TeamShell route={route} />;
  }
}
