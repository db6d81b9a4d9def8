// SAML 2.0 sign-in in the browser against a real IdP (SimpleSAMLphp): Chromium opens
// /login/sso/saml, is sent to the IdP's login form, signs in there, the IdP's page posts the
// signed response back, and the web client opens signed in as the IdP's user, the account
// made from the IdP's attributes. The login page's SAML button is another change's; this test
// goes to /login/sso/saml directly, where that button leads.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { openPerson, stepWithScreens } from '../lib/people.mjs';
import { startIdp } from '../lib/saml_idp.mjs';

const carol = { username: 'carol', password: 'carol-idp-pw', email: 'carol@example.com', givenName: 'Carol', sn: 'Cole' };

describe('SAML sign-in', () => {
  let idp;
  let server;
  let browser;
  let c;
  const test = stepWithScreens(nodeTest, () => ({ carol: c }));

  before(async () => {
    idp = await startIdp([carol]);
    server = await startServer({ env: idp.serverEnv() });
    // Without a config file the certificate files live in FileSettings.Directory; the server
    // reads them at each sign-in, and the IdP reads the SP it knows at each request.
    writeFileSync(join(server.dir, 'data', 'saml-idp.crt'), idp.certificate);
    idp.registerSp(`${server.url}/login/sso/saml`);
    browser = await launch();
    c = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
    await idp?.dispose();
  });

  test('the login page offers SAML through the client config', async () => {
    const config = await (await fetch(`${server.url}/api/v4/config/client?format=old`)).json();
    assert.equal(config.EnableSaml, 'true');
    assert.equal(config.SamlLoginButtonText, 'SAML');
  });

  test('a person signs in at the IdP and lands signed in in the web client', async () => {
    await c.page.goto('/login/sso/saml');
    await c.page.waitForURL((url) => url.origin === idp.url);
    await c.page.locator('input[name="username"]').fill(carol.username);
    await c.page.locator('input[name="password"]').fill(carol.password);
    await c.page.locator('input[name="password"]').press('Enter');
    // The IdP's page posts the response to the server, which sends the browser home.
    await c.page.waitForURL((url) => url.origin === server.url);
    await c.page.getByRole('button', { name: 'Create a team' }).waitFor();
    const me = await c.page.evaluate(async () => (await fetch('/api/v4/users/me')).json());
    assert.equal(me.username, 'carol');
    assert.equal(me.email, 'carol@example.com');
    assert.equal(me.first_name, 'Carol');
    assert.equal(me.last_name, 'Cole');
    assert.equal(me.auth_service, 'saml');
  });

  test('a wrong password at the IdP signs nobody in', async () => {
    const other = await openPerson(browser, server.url);
    await other.page.goto('/login/sso/saml');
    await other.page.waitForURL((url) => url.origin === idp.url);
    await other.page.locator('input[name="username"]').fill(carol.username);
    await other.page.locator('input[name="password"]').fill('wrong');
    await other.page.locator('input[name="password"]').press('Enter');
    await other.page.waitForLoadState();
    assert.equal(new URL(other.page.url()).origin, idp.url);
    await other.page.getByText(/incorrect|wrong/i).first().waitFor();
    // The browser holds no session of the server.
    const me = await other.context.request.get(`${server.url}/api/v4/users/me`);
    assert.equal(me.status(), 401);
    await other.context.close();
  });
});
