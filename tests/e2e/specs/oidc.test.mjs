// Sign-in through OpenID Connect in the browser: the login page offers the provider's button
// (its configured text), Chromium follows it to the provider (npm oidc-provider, the same
// crates/testkit/oidc/server.mjs the API tests run), fills its login and consent pages, and
// comes back signed in as a new account of the provider's user.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { openPerson, stepWithScreens } from '../lib/people.mjs';

const PROVIDER = new URL('../../../crates/testkit/oidc/server.mjs', import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startProvider(port, redirectUri) {
  const child = spawn(process.execPath, [PROVIDER], {
    env: {
      ...process.env,
      OIDC_PORT: String(port),
      OIDC_CLIENT_ID: 'utmost-e2e',
      OIDC_CLIENT_SECRET: 'utmost-e2e-secret',
      OIDC_REDIRECT_URIS: redirectUri,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}`)));
  });
  return child;
}

describe('OpenID Connect sign-in', () => {
  let server;
  let provider;
  let browser;
  let a;
  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    const providerPort = await freePort();
    server = await startServer({
      env: {
        MM_OPENIDSETTINGS_ENABLE: 'true',
        MM_OPENIDSETTINGS_ID: 'utmost-e2e',
        MM_OPENIDSETTINGS_SECRET: 'utmost-e2e-secret',
        MM_OPENIDSETTINGS_DISCOVERYENDPOINT: `http://127.0.0.1:${providerPort}/.well-known/openid-configuration`,
        MM_OPENIDSETTINGS_BUTTONTEXT: 'Company SSO',
        // The provider runs on the loopback, which outgoing calls may not reach by default.
        MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS: '127.0.0.1',
      },
    });
    provider = await startProvider(providerPort, `${server.url}/signup/openid/complete`);
    // The first account is made with a password (it becomes the administrator).
    const first = await fetch(`${server.url}/api/v4/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', username: 'admin', password: 'admin-password-1' }),
    });
    assert.equal(first.status, 201);
    browser = await launch();
    a = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    provider?.kill();
    await server?.dispose();
  });

  test('the login page offers the provider, and its sign-in lands signed in', async () => {
    await a.page.goto('/login');
    const button = a.page.getByRole('link', { name: 'Company SSO' });
    await button.waitFor();
    assert.match(await button.getAttribute('href'), /^\/oauth\/openid\/login/);
    await a.page.getByLabel('Email or username').waitFor();
    await button.click();

    // The provider's own pages: login (any password), then consent.
    await a.page.locator('input[name="login"]').fill('alice');
    await a.page.locator('input[name="password"]').fill('any password');
    await a.page.locator('button[type="submit"]').click();
    await a.page.locator('button[type="submit"]', { hasText: /continue/i }).click();

    await a.page.waitForURL((url) => url.origin === server.url && url.pathname !== '/login');
    const me = await a.page.evaluate(() => fetch('/api/v4/users/me').then((r) => r.json()));
    assert.equal(me.username, 'alice');
    assert.equal(me.auth_service, 'openid');
    assert.equal(me.email, 'alice@example.com');
  });

  test('a refused sign-in comes back to the login page with its message', async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    // A state this browser never began.
    await page.goto('/signup/openid/complete?code=x&state=forged');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('alert').filter({ hasText: 'Invalid state' }).waitFor();
    await context.close();
  });
});
