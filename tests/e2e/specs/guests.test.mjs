// A guest and the terms of service in the web client against a real server: the admin writes
// terms and demotes bob to a guest over the API; bob must accept the terms on his first
// login (declining logs him out), and alice sees the Guest badge beside bob's name on his
// message and in the channel's member list.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { api, apiLogin } from '../lib/api.mjs';
import { logIn, messages, openPerson, screenshot, send, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };
const TERMS = 'Be **kind** to each other.';

describe('a guest and the terms of service', () => {
  let server;
  let browser;
  let a;
  let b;
  let teamName;

  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

  before(async () => {
    server = await startServer({
      env: {
        MM_GUESTACCOUNTSSETTINGS_ENABLE: 'true',
        MM_SUPPORTSETTINGS_CUSTOMTERMSOFSERVICEENABLED: 'true',
      },
    });
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);

    // alice (the first account, an admin) sets up a team with bob in it, over the API.
    await api(server, 'POST', '/users', alice);
    const adminToken = await apiLogin(server, alice);
    const bobUser = (await api(server, 'POST', '/users', bob, adminToken)).body;
    const team = (await api(server, 'POST', '/teams', { name: 'guest-team', display_name: 'Guest Team', type: 'O' }, adminToken)).body;
    teamName = team.name;
    await api(server, 'POST', `/teams/${team.id}/members`, { team_id: team.id, user_id: bobUser.id }, adminToken);
    await api(server, 'POST', `/users/${bobUser.id}/demote`, {}, adminToken);
    await api(server, 'POST', '/terms_of_service', { text: TERMS }, adminToken);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('declining the terms at the first login logs the guest out', async () => {
    await logIn(b.page, bob);
    await b.page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    const text = b.page.getByRole('region', { name: 'Terms of Service text' });
    assert.match(await text.innerHTML(), /<strong>kind<\/strong>/, 'the terms are rendered as Markdown');
    await screenshot(b.page, 'terms-of-service');
    await b.page.getByRole('button', { name: 'I disagree' }).click();
    await b.page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  test('accepting the terms lets the guest in, and they are not asked again', async () => {
    await logIn(b.page, bob);
    await b.page.getByRole('button', { name: 'I agree' }).click();
    await b.page.waitForURL(`**/${teamName}/channels/town-square`);
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    await b.page.reload();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    assert.equal(await b.page.getByRole('heading', { name: 'Terms of Service' }).count(), 0);
  });

  test("the guest's message carries the Guest badge for others", async () => {
    await logIn(a.page, alice);
    // alice is an admin, and the terms apply to her as well.
    await a.page.getByRole('button', { name: 'I agree' }).click();
    await a.page.waitForURL(`**/${teamName}/channels/town-square`);
    // The channel shown first: a post made while alice's client was still starting was seen
    // missing from her view in 1 of 3 runs (noted on issue 18 for a fix of its own).
    await messages(a.page).getByText('bob joined the team.').waitFor();
    await send(b.page, 'Hello from the guest');
    const post = messages(a.page).getByRole('article', { name: /^bob at / }).last();
    await post.getByText('Hello from the guest').waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await post.locator('.guest-badge').innerText(), 'Guest');
    const own = messages(a.page).getByRole('article', { name: /^alice at / });
    await send(a.page, 'Welcome, bob');
    await own.last().getByText('Welcome, bob').waitFor();
    assert.equal(await own.last().locator('.guest-badge').count(), 0, 'a regular member has no badge');
    await screenshot(a.page, 'guest-badge-post');
  });

  test('the member list shows the Guest badge too', async () => {
    await a.page.getByRole('toolbar', { name: 'Channel actions' }).getByRole('button', { name: 'Members' }).click();
    const list = a.page.getByRole('region', { name: /Members/ });
    const bobRow = list.getByRole('button', { name: /bob/ });
    await bobRow.waitFor();
    assert.match(await bobRow.innerText(), /Guest/);
    const aliceRow = list.getByRole('button', { name: /alice/ });
    assert.doesNotMatch(await aliceRow.innerText(), /Guest/);
  });

  test('with HideGuestTags the badges are gone', async () => {
    await server.restart({ MM_GUESTACCOUNTSSETTINGS_HIDETAGS: 'true' });
    await a.page.reload();
    const post = messages(a.page).getByRole('article', { name: /^bob at / }).last();
    await post.getByText('Hello from the guest').waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await post.locator('.guest-badge').count(), 0);
  });
});
