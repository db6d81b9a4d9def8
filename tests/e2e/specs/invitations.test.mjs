// Inviting people in the web client against a real server and a real SMTP server: the team's
// invite link signs a new person up into the team; invitations by email report each address
// (one refused by the domain rule), the emailed link signs the invitee up with their address
// filled in, an invitee who already has an account joins by opening the link signed in, and
// a guest invited to one channel signs up into that channel alone.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { api, apiLogin } from '../lib/api.mjs';
import { logIn, openPerson, screenshot, signUp, stepWithScreens } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };
const dave = { email: 'dave@example.com', username: 'dave', password: 'dave-password-1' };

describe('inviting people', () => {
  let server;
  let smtp;
  let browser;
  let a;
  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    smtp = await startSmtp();
    server = await startServer({
      env: {
        ...smtp.env,
        MM_SERVICESETTINGS_ENABLEEMAILINVITATIONS: 'true',
        MM_TEAMSETTINGS_RESTRICTCREATIONTODOMAINS: 'example.com',
        MM_GUESTACCOUNTSSETTINGS_ENABLE: 'true',
      },
    });
    browser = await launch();
    a = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
    smtp?.dispose();
  });

  const inviteDialog = (page) => page.getByRole('dialog', { name: 'Invite people to Rocket Team' });
  async function openInvite(page) {
    await page.getByRole('button', { name: /^Account menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Invite people' }).click();
    return inviteDialog(page);
  }

  test('a new person signs up through the team invite link and lands in the team', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Rocket Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    const dialog = await openInvite(a.page);
    const link = await dialog.getByLabel('Invite link').inputValue();
    assert.match(link, /\/signup_user_complete\/\?id=[a-z0-9]{26}$/);
    await a.page.keyboard.press('Escape');

    const b = await openPerson(browser, server.url);
    await b.page.goto(link);
    await b.page.getByText('You are invited to join Rocket Team').waitFor();
    await b.page.getByLabel('Email').fill(bob.email);
    await b.page.getByLabel('Username').fill(bob.username);
    await b.page.getByLabel('Password').fill(bob.password);
    await b.page.getByRole('button', { name: 'Create account' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    assert.match(b.page.url(), /\/rocket-team\/channels\/town-square$/);
    await b.context.close();
  });

  test('invitations by email report each address; the emailed link signs carol up with her address', async () => {
    const dialog = await openInvite(a.page);
    await dialog.getByLabel('Email addresses').fill('carol@example.com, mallory@elsewhere.org');
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    const outcomes = dialog.getByRole('list', { name: 'Invitations sent' });
    await outcomes.waitFor();
    const [sent, refused] = [outcomes.getByRole('listitem').filter({ hasText: 'carol@example.com' }), outcomes.getByRole('listitem').filter({ hasText: 'mallory@elsewhere.org' })];
    assert.match(await sent.innerText(), /invitation sent/);
    assert.match(await refused.innerText(), /accepted domain/);
    await screenshot(a.page, 'invitations-sent');
    await a.page.keyboard.press('Escape');

    const link = await smtp.link('carol@example.com', `${server.url}/signup_user_complete/`);
    const c = await openPerson(browser, server.url);
    await c.page.goto(link);
    await c.page.getByText('You are invited to join Rocket Team').waitFor();
    assert.equal(await c.page.getByLabel('Email').inputValue(), 'carol@example.com');
    await c.page.getByLabel('Username').fill('carol');
    await c.page.getByLabel('Password').fill('carol-password-1');
    await c.page.getByRole('button', { name: 'Create account' }).click();
    await c.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    assert.match(c.page.url(), /\/rocket-team\//);
    await c.context.close();
  });

  test('someone who already has an account joins by opening the emailed link signed in', async () => {
    await api(server, 'POST', '/users', dave, await apiLogin(server, alice));
    const dialog = await openInvite(a.page);
    await dialog.getByLabel('Email addresses').fill(dave.email);
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.getByRole('list', { name: 'Invitations sent' }).getByText('invitation sent').waitFor();
    await a.page.keyboard.press('Escape');
    const link = await smtp.link(dave.email, `${server.url}/signup_user_complete/`);

    const d = await openPerson(browser, server.url);
    await logIn(d.page, dave);
    await d.page.getByText(/no team|Create a team|Select a team/i).first().waitFor();
    await d.page.goto(link);
    await d.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    assert.match(d.page.url(), /\/rocket-team\//);
    await d.context.close();
  });

  test('a guest invited to one channel signs up into that channel and sees no other', async () => {
    const token = await apiLogin(server, alice);
    const team = (await api(server, 'GET', '/teams/name/rocket-team', undefined, token)).body;
    await api(server, 'POST', '/channels', { team_id: team.id, name: 'launch-pad', display_name: 'Launch Pad', type: 'O' }, token);
    await a.page.reload();
    await a.page.getByRole('heading', { level: 1 }).waitFor();
    const dialog = await openInvite(a.page);
    await dialog.getByLabel('Email addresses').fill('gina@example.com');
    await dialog.getByLabel('Invite as guests').check();
    const send = dialog.getByRole('button', { name: 'Send invitations' });
    assert.equal(await send.isDisabled(), true, 'a guest invitation needs a channel');
    await dialog.getByRole('group', { name: 'Channels the guests join' }).getByLabel('Launch Pad').check();
    await send.click();
    await dialog.getByRole('list', { name: 'Invitations sent' }).getByText('invitation sent').waitFor();
    await a.page.keyboard.press('Escape');

    const link = await smtp.link('gina@example.com', `${server.url}/signup_user_complete/`);
    const g = await openPerson(browser, server.url);
    await g.page.goto(link);
    await g.page.getByText('You are invited to join Rocket Team').waitFor();
    assert.equal(await g.page.getByLabel('Email').inputValue(), 'gina@example.com');
    await g.page.getByLabel('Username').fill('gina');
    await g.page.getByLabel('Password').fill('gina-password-1');
    await g.page.getByRole('button', { name: 'Create account' }).click();
    await g.page.getByRole('heading', { level: 1, name: 'Launch Pad' }).waitFor();
    const gina = (await api(server, 'GET', '/users/username/gina', undefined, token)).body;
    assert.equal(gina.roles, 'system_guest');
    const sidebar = g.page.getByRole('navigation', { name: 'Channels', exact: true });
    assert.equal(await sidebar.getByText('Town Square').count(), 0, 'a guest is not put in Town Square');
    await screenshot(g.page, 'guest-invited-channel');
    await g.context.close();
  });
});
