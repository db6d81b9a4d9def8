// Authentication (/admin_console/authentication/…): sign-up, email, MFA, AD/LDAP, SAML,
// OAuth 2.0 (GitLab, Google), OpenID Connect and guest access, one page each.
import { client } from '../../client';
import { ConfigSection, TestButton } from './ConfigSection';
import type { Field } from './configForm';

const oauth = (section: string): Field[] => [
  { key: `${section}.Enable`, label: 'Enable', kind: 'bool' },
  { key: `${section}.Id`, label: 'Application ID', kind: 'text' },
  { key: `${section}.Secret`, label: 'Application secret', kind: 'password' },
  { key: `${section}.DiscoveryEndpoint`, label: 'Discovery endpoint', kind: 'text' },
  { key: `${section}.AuthEndpoint`, label: 'Authorization endpoint', kind: 'text' },
  { key: `${section}.TokenEndpoint`, label: 'Token endpoint', kind: 'text' },
  { key: `${section}.UserAPIEndpoint`, label: 'User API endpoint', kind: 'text' },
];

const security: [string, string][] = [['', 'None'], ['TLS', 'TLS'], ['STARTTLS', 'STARTTLS']];

const pages: Record<string, { title: string; groups: { title: string; fields: Field[] }[]; ldapTest?: boolean }> = {
  signup: {
    title: 'Signup',
    groups: [{
      title: 'Account creation',
      fields: [
        { key: 'TeamSettings.EnableUserCreation', label: 'Enable account creation', kind: 'bool' },
        { key: 'TeamSettings.EnableOpenServer', label: 'Enable open server', kind: 'bool', help: 'Anyone may sign up without an invitation.' },
        { key: 'TeamSettings.RestrictCreationToDomains', label: 'Restrict account creation to these email domains', kind: 'text' },
        { key: 'EmailSettings.RequireEmailVerification', label: 'Require email verification', kind: 'bool' },
      ],
    }],
  },
  email: {
    title: 'Email authentication',
    groups: [{
      title: 'Email',
      fields: [
        { key: 'EmailSettings.EnableSignUpWithEmail', label: 'Enable account creation with email', kind: 'bool' },
        { key: 'EmailSettings.EnableSignInWithEmail', label: 'Enable sign-in with email', kind: 'bool' },
        { key: 'EmailSettings.EnableSignInWithUsername', label: 'Enable sign-in with username', kind: 'bool' },
      ],
    }],
  },
  mfa: {
    title: 'Multi-factor authentication',
    groups: [{
      title: 'MFA',
      fields: [
        { key: 'ServiceSettings.EnableMultifactorAuthentication', label: 'Enable multi-factor authentication', kind: 'bool' },
        { key: 'ServiceSettings.EnforceMultifactorAuthentication', label: 'Enforce multi-factor authentication', kind: 'bool' },
      ],
    }],
  },
  ldap: {
    title: 'AD/LDAP',
    ldapTest: true,
    groups: [
      {
        title: 'Connection',
        fields: [
          { key: 'LdapSettings.Enable', label: 'Enable sign-in with AD/LDAP', kind: 'bool' },
          { key: 'LdapSettings.EnableSync', label: 'Enable synchronization with AD/LDAP', kind: 'bool' },
          { key: 'LdapSettings.LoginFieldName', label: 'Login field name', kind: 'text' },
          { key: 'LdapSettings.LdapServer', label: 'AD/LDAP server', kind: 'text' },
          { key: 'LdapSettings.LdapPort', label: 'AD/LDAP port', kind: 'number' },
          { key: 'LdapSettings.ConnectionSecurity', label: 'Connection security', kind: 'select', options: security },
          { key: 'LdapSettings.SkipCertificateVerification', label: 'Skip certificate verification', kind: 'bool' },
          { key: 'LdapSettings.BaseDN', label: 'Base DN', kind: 'text' },
          { key: 'LdapSettings.BindUsername', label: 'Bind username', kind: 'text' },
          { key: 'LdapSettings.BindPassword', label: 'Bind password', kind: 'password' },
          { key: 'LdapSettings.UserFilter', label: 'User filter', kind: 'text' },
          { key: 'LdapSettings.GuestFilter', label: 'Guest filter', kind: 'text' },
          { key: 'LdapSettings.AdminFilter', label: 'Admin filter', kind: 'text' },
          { key: 'LdapSettings.GroupFilter', label: 'Group filter', kind: 'text' },
          { key: 'LdapSettings.SyncIntervalMinutes', label: 'Synchronization interval (minutes)', kind: 'number' },
        ],
      },
      {
        title: 'Attributes',
        fields: [
          { key: 'LdapSettings.IdAttribute', label: 'ID attribute', kind: 'text' },
          { key: 'LdapSettings.LoginIdAttribute', label: 'Login ID attribute', kind: 'text' },
          { key: 'LdapSettings.UsernameAttribute', label: 'Username attribute', kind: 'text' },
          { key: 'LdapSettings.EmailAttribute', label: 'Email attribute', kind: 'text' },
          { key: 'LdapSettings.FirstNameAttribute', label: 'First name attribute', kind: 'text' },
          { key: 'LdapSettings.LastNameAttribute', label: 'Last name attribute', kind: 'text' },
          { key: 'LdapSettings.GroupDisplayNameAttribute', label: 'Group display name attribute', kind: 'text' },
          { key: 'LdapSettings.GroupIdAttribute', label: 'Group ID attribute', kind: 'text' },
        ],
      },
    ],
  },
  saml: {
    title: 'SAML 2.0',
    groups: [
      {
        title: 'Identity provider',
        fields: [
          { key: 'SamlSettings.Enable', label: 'Enable sign-in with SAML 2.0', kind: 'bool' },
          { key: 'SamlSettings.EnableSyncWithLdap', label: 'Enable synchronizing SAML accounts with AD/LDAP', kind: 'bool' },
          { key: 'SamlSettings.IdpMetadataURL', label: 'Identity provider metadata URL', kind: 'text' },
          { key: 'SamlSettings.IdpURL', label: 'SAML SSO URL', kind: 'text' },
          { key: 'SamlSettings.IdpDescriptorURL', label: 'Identity provider issuer URL', kind: 'text' },
          { key: 'SamlSettings.IdpCertificateFile', label: 'Identity provider public certificate', kind: 'text' },
          { key: 'SamlSettings.ServiceProviderIdentifier', label: 'Service provider identifier', kind: 'text' },
          { key: 'SamlSettings.AssertionConsumerServiceURL', label: 'Service provider login URL', kind: 'text' },
          { key: 'SamlSettings.Verify', label: 'Verify signature', kind: 'bool' },
          { key: 'SamlSettings.Encrypt', label: 'Enable encryption', kind: 'bool' },
          { key: 'SamlSettings.SignRequest', label: 'Sign request', kind: 'bool' },
          { key: 'SamlSettings.LoginButtonText', label: 'Login button text', kind: 'text' },
        ],
      },
      {
        title: 'Attributes',
        fields: [
          { key: 'SamlSettings.IdAttribute', label: 'ID attribute', kind: 'text' },
          { key: 'SamlSettings.EmailAttribute', label: 'Email attribute', kind: 'text' },
          { key: 'SamlSettings.UsernameAttribute', label: 'Username attribute', kind: 'text' },
          { key: 'SamlSettings.FirstNameAttribute', label: 'First name attribute', kind: 'text' },
          { key: 'SamlSettings.LastNameAttribute', label: 'Last name attribute', kind: 'text' },
          { key: 'SamlSettings.GuestAttribute', label: 'Guest attribute', kind: 'text' },
          { key: 'SamlSettings.AdminAttribute', label: 'Admin attribute', kind: 'text' },
        ],
      },
    ],
  },
  gitlab: { title: 'GitLab', groups: [{ title: 'GitLab OAuth 2.0', fields: oauth('GitLabSettings') }] },
  google: { title: 'Google', groups: [{ title: 'Google OAuth 2.0', fields: oauth('GoogleSettings') }] },
  openid: {
    title: 'OpenID Connect',
    groups: [{
      title: 'OpenID Connect',
      fields: [
        ...oauth('OpenIdSettings').filter((f) => !/(Auth|Token|UserAPI)Endpoint$/.test(f.key)),
        { key: 'OpenIdSettings.ButtonText', label: 'Button name', kind: 'text' },
        { key: 'OpenIdSettings.ButtonColor', label: 'Button color', kind: 'text' },
      ],
    }],
  },
  guest_access: {
    title: 'Guest access',
    groups: [{
      title: 'Guests',
      fields: [
        { key: 'GuestAccountsSettings.Enable', label: 'Enable guest access', kind: 'bool' },
        { key: 'GuestAccountsSettings.AllowEmailAccounts', label: 'Allow guests to sign in with email', kind: 'bool' },
        { key: 'GuestAccountsSettings.RestrictCreationToDomains', label: 'Whitelisted guest domains', kind: 'text' },
        { key: 'GuestAccountsSettings.EnforceMultifactorAuthentication', label: 'Enforce multi-factor authentication for guests', kind: 'bool' },
        { key: 'GuestAccountsSettings.HideTags', label: 'Hide guest tags', kind: 'bool' },
      ],
    }],
  },
};

export const AUTHENTICATION_PAGES: [string, string][] = Object.entries(pages).map(([path, page]) => [path, page.title]);

export function Authentication({ page }: { page: string }) {
  const p = pages[page] ?? pages.signup;
  return (
    <ConfigSection
      key={page}
      title={p.title}
      groups={p.groups}
      actions={p.ldapTest ? () => <TestButton label="Test AD/LDAP connection" run={() => client.testLdap()} /> : undefined}
    />
  );
}
