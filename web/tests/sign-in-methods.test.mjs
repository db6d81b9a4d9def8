// The login page's sign-in methods (src/components/auth/signInMethods.ts) from the client
// configuration: the form's label, the SSO buttons and their links, the error a refused
// sign-in comes back with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/components/auth/signInMethods.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { loginFieldLabel, ssoButtons, ssoError } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

test('the form names the login ids that work', () => {
  assert.equal(loginFieldLabel({ EnableSignInWithEmail: 'true', EnableSignInWithUsername: 'true' }), 'Email or username');
  assert.equal(loginFieldLabel({ EnableSignInWithEmail: 'true' }), 'Email');
  assert.equal(
    loginFieldLabel({ EnableSignInWithEmail: 'true', EnableSignInWithUsername: 'true', EnableLdap: 'true', LdapLoginFieldName: 'Corp ID' }),
    'Email, username or corp ID',
  );
  assert.equal(loginFieldLabel({ EnableLdap: 'true' }), 'AD/LDAP Username');
  assert.equal(loginFieldLabel({ EnableSignInWithEmail: 'false', EnableSignInWithUsername: 'false' }), null);
});

test('a button per SSO service that is on, each to its sign-in', () => {
  assert.deepEqual(ssoButtons({}, ''), []);
  const buttons = ssoButtons(
    {
      EnableSignUpWithGitLab: 'true',
      EnableSignUpWithGoogle: 'true',
      EnableSignUpWithOffice365: 'true',
      EnableSignUpWithOpenId: 'true',
      OpenIdButtonText: 'Company SSO',
      OpenIdButtonColor: '#145DBF',
      EnableSaml: 'true',
      SamlLoginButtonText: 'Okta',
    },
    '/team/channels/town-square',
  );
  assert.deepEqual(buttons.map((b) => [b.label, b.href]), [
    ['GitLab', '/oauth/gitlab/login?redirect_to=%2Fteam%2Fchannels%2Ftown-square'],
    ['Google', '/oauth/google/login?redirect_to=%2Fteam%2Fchannels%2Ftown-square'],
    ['Office 365', '/oauth/office365/login?redirect_to=%2Fteam%2Fchannels%2Ftown-square'],
    ['Company SSO', '/oauth/openid/login?redirect_to=%2Fteam%2Fchannels%2Ftown-square'],
    ['Okta', '/login/sso/saml?redirect_to=%2Fteam%2Fchannels%2Ftown-square'],
  ]);
  assert.equal(buttons[3].color, '#145DBF');
  assert.equal(ssoButtons({ EnableSignUpWithOpenId: 'true' }, '')[0].label, 'OpenID');
});

test('a refused sign-in shows its message', () => {
  assert.equal(ssoError('?sso_error=api.user.login.inactive.app_error&message=Deactivated.'), 'Deactivated.');
  assert.equal(ssoError('?extra=x'), '');
});
