// Which ways of signing in the login page offers, from the client configuration (Mattermost's
// login page): the login-id and password form (email, username, AD/LDAP), and a button per
// SSO service that is on. Plain data, so web/tests checks it without a browser.

export type ClientConfig = Record<string, string | undefined>;

export type SsoButton = { service: string; label: string; href: string; color?: string };

/** The form's login-id label, or null when no password sign-in is on. */
export function loginFieldLabel(config: ClientConfig): string | null {
  const names: string[] = [];
  if (config.EnableSignInWithEmail === 'true') names.push('Email');
  if (config.EnableSignInWithUsername === 'true') names.push('Username');
  if (config.EnableLdap === 'true') names.push(config.LdapLoginFieldName || 'AD/LDAP Username');
  if (names.length === 0) return null;
  if (names.length === 1) return names[0];
  const rest = names.slice(1).map((n) => n.charAt(0).toLowerCase() + n.slice(1));
  return `${names[0]}${rest.length > 1 ? `, ${rest.slice(0, -1).join(', ')}` : ''} or ${rest[rest.length - 1]}`;
}

/** The SSO buttons, each to its service's sign-in with `redirectTo` as the landing page. */
export function ssoButtons(config: ClientConfig, redirectTo: string): SsoButton[] {
  const query = redirectTo ? `?redirect_to=${encodeURIComponent(redirectTo)}` : '';
  const oauth = (service: string) => `/oauth/${service}/login${query}`;
  const buttons: SsoButton[] = [];
  if (config.EnableSignUpWithGitLab === 'true') buttons.push({ service: 'gitlab', label: 'GitLab', href: oauth('gitlab') });
  if (config.EnableSignUpWithGoogle === 'true') buttons.push({ service: 'google', label: 'Google', href: oauth('google') });
  if (config.EnableSignUpWithOffice365 === 'true') buttons.push({ service: 'office365', label: 'Office 365', href: oauth('office365') });
  if (config.EnableSignUpWithOpenId === 'true') {
    buttons.push({ service: 'openid', label: config.OpenIdButtonText || 'OpenID', href: oauth('openid'), color: config.OpenIdButtonColor || undefined });
  }
  if (config.EnableSaml === 'true') {
    buttons.push({ service: 'saml', label: config.SamlLoginButtonText || 'SAML', href: `/login/sso/saml${query}`, color: config.SamlLoginButtonColor || undefined });
  }
  return buttons;
}

/** The error a refused SSO sign-in came back with (`/login?sso_error=<id>&message=…`). */
export function ssoError(search: string): string {
  const params = new URLSearchParams(search);
  if (!params.get('sso_error')) return '';
  return params.get('message') || 'Sign-in failed.';
}
