// The integrations area and the OAuth 2.0 provider in the web client: the admin registers an
// OAuth app from the Integrations pages (its secret shown once), a third-party app (a site on
// loopback) sends the browser to the consent page, "Allow" returns there with a code that the
// app exchanges for a token working on the API, and a second visit skips the consent; a
// signed-out person logs in first, comes back to the consent and denies; then an
// incoming webhook is created from its page and a message posted through its URL shows in the
// channel.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { messages, openPerson, signUp, stepWithScreens } from '../lib/people.mjs';
import { api } from '../lib/api.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

/** A third-party app: `/callback` records the query it is sent and says so. */
async function startThirdParty() {
  const received = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://app');
    if (url.pathname === '/callback') received.push(url.searchParams);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Signed in to the planner</h1>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    callback: `http://127.0.0.1:${server.address().port}/callback`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('integrations', () => {
  let server;
  let browser;
  let third;
  let a;
  let client = {};
  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    server = await startServer({ env: { MM_SERVICESETTINGS_ENABLEINCOMINGWEBHOOKS: 'true' } });
    third = await startThirdParty();
    browser = await launch();
    a = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await third?.close();
    await server?.dispose();
  });

  test('the admin registers an OAuth app from the Integrations pages and sees its secret once', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Rocket Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();

    await a.page.getByRole('button', { name: /^Account menu for/ }).click();
    await a.page.getByRole('menuitem', { name: 'Integrations' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    assert.match(a.page.url(), /\/rocket-team\/integrations$/);
    const nav = a.page.getByRole('navigation', { name: 'Integrations' });
    await nav.getByRole('link', { name: 'OAuth 2.0 Applications' }).click();
    assert.match(a.page.url(), /\/rocket-team\/integrations\/oauth2-apps$/);

    await a.page.getByRole('button', { name: 'Add OAuth 2.0 Application' }).click();
    const form = a.page.getByRole('form', { name: 'Register OAuth 2.0 application' });
    await form.getByLabel('Display name').fill('Planner');
    await form.getByLabel('Description').fill('Plans your week');
    await form.getByLabel('Homepage').fill('https://planner.example.com');
    await form.getByLabel('Callback URLs (one a line)').fill(third.callback);
    await form.getByRole('button', { name: 'Register' }).click();
    const credentials = a.page.getByRole('status', { name: 'Client credentials' });
    client = {
      id: await credentials.getByLabel('Client ID').inputValue(),
      secret: await credentials.getByLabel('Client Secret').inputValue(),
    };
    assert.match(client.id, /^[a-z0-9]{26}$/);
    assert.match(client.secret, /^[a-z0-9]{26}$/);
    await a.page.getByRole('list', { name: 'OAuth 2.0 applications' }).getByRole('heading', { name: 'Planner' }).waitFor();
  });

  test('the consent page hands the app a code that it exchanges for a working token', async () => {
    const authorize = `/oauth/authorize?response_type=code&client_id=${client.id}&redirect_uri=${encodeURIComponent(third.callback)}&state=e2e`;
    await a.page.goto(authorize);
    await a.page.getByText('would like to access your account').waitFor();
    await a.page.getByText('Plans your week').waitFor();
    await a.page.getByRole('button', { name: 'Allow' }).click();
    await a.page.getByRole('heading', { name: 'Signed in to the planner' }).waitFor();
    const query = third.received.at(-1);
    assert.equal(query.get('state'), 'e2e');

    const answer = await fetch(`${server.url}/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: client.id,
        client_secret: client.secret,
        code: query.get('code'),
        redirect_uri: third.callback,
      }),
    });
    assert.equal(answer.status, 200);
    const tokens = await answer.json();
    assert.equal(tokens.token_type, 'bearer');
    const me = await fetch(`${server.url}/api/v4/users/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal((await me.json()).username, alice.username);

    // Authorised now: the browser goes straight back to the app.
    await a.page.goto(authorize);
    await a.page.getByRole('heading', { name: 'Signed in to the planner' }).waitFor();
    assert.equal(third.received.length, 2);
  });

  test('a signed-out person logs in first, comes back to the consent, and denies', async () => {
    await api(server, 'POST', '/users', bob);
    const b = await openPerson(browser, server.url);
    const authorize = `/oauth/authorize?response_type=code&client_id=${client.id}&redirect_uri=${encodeURIComponent(third.callback)}&state=bob`;
    await b.page.goto(authorize);
    await b.page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.match(b.page.url(), /\/login\?redirect_to=%2Foauth%2Fauthorize/);
    await b.page.getByLabel('Email or username').fill(bob.username);
    await b.page.getByLabel('Password').fill(bob.password);
    await b.page.getByRole('button', { name: 'Log in' }).click();
    await b.page.getByText('would like to access your account').waitFor();
    await b.page.getByRole('button', { name: 'Deny' }).click();
    await b.page.getByRole('heading', { name: 'Signed in to the planner' }).waitFor();
    const query = third.received.at(-1);
    assert.equal(query.get('error'), 'access_denied');
    assert.equal(query.get('state'), 'bob');
    assert.equal(query.get('code'), null);
    await b.context.close();
  });

  test('an incoming webhook made on its page posts into the channel', async () => {
    await a.page.goto('/rocket-team/integrations/incoming_webhooks');
    await a.page.getByRole('heading', { level: 1, name: 'Incoming Webhooks' }).waitFor();
    await a.page.getByRole('button', { name: 'Add Incoming Webhook' }).click();
    const form = a.page.getByRole('form', { name: 'Add incoming webhook' });
    await form.getByLabel('Title').fill('CI');
    await form.getByLabel('Channel', { exact: true }).selectOption({ label: 'Town Square' });
    await form.getByRole('button', { name: 'Save' }).click();
    const url = await a.page.getByRole('status').getByLabel('Webhook URL').inputValue();
    assert.match(url, /\/hooks\/[a-z0-9]{26}$/);
    await a.page.getByRole('list', { name: 'Incoming webhooks' }).getByRole('heading', { name: 'CI' }).waitFor();

    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'build 42 is green' }),
    });
    assert.equal(await posted.text(), 'ok');

    await a.page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name: /Back to Rocket Team/ }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    await messages(a.page).getByText('build 42 is green').waitFor();
  });
});
