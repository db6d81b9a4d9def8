// Slash commands in the web client: typing "/" suggests commands (keyboard navigable), a
// suggestion completes the box, /me and /echo post instead of sending their text, an
// ephemeral answer shows to its user, and an unknown command's error shows in the composer.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { composer, messages, openPerson, screenshot, send, signUp, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };

describe('slash commands', () => {
  let server;
  let browser;
  let a;

  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    server = await startServer();
    browser = await launch();
    a = await openPerson(browser, server.url);
    await a.page.goto('/');
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Command Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('a slash suggests commands, the arrows move through them and Enter completes one', async () => {
    const box = composer(a.page);
    await box.fill('/ec');
    const list = a.page.getByRole('listbox', { name: 'Suggestions' });
    await list.getByRole('option', { name: /\/echo/ }).waitFor();
    await screenshot(a.page, 'slash-suggestions');
    await box.fill('/e');
    await list.getByRole('option').first().waitFor();
    const options = await list.getByRole('option').allTextContents();
    assert.ok(options.some((o) => o.includes('/echo')) && options.some((o) => o.includes('/expand')), options.join(' | '));
    await box.press('ArrowDown');
    assert.equal(await list.getByRole('option', { selected: true }).count(), 1);
    await box.press('ArrowUp');
    await box.press('Enter');
    assert.match(await box.inputValue(), /^\/e\w+ $/);
  });

  test('/me and /echo post in the channel instead of their text', async () => {
    await send(a.page, '/me waves to everyone');
    await messages(a.page).getByText('waves to everyone').waitFor({ timeout: LIVE_TIMEOUT });
    await send(a.page, '/echo hello from echo');
    await messages(a.page).getByText('hello from echo').waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await messages(a.page).getByText('/echo hello from echo').count(), 0);
    assert.equal(await composer(a.page).inputValue(), '');
  });

  test('an ephemeral answer shows to its user, and an unknown command is refused in place', async () => {
    await send(a.page, '/away');
    await messages(a.page).getByText('You are now away').waitFor({ timeout: LIVE_TIMEOUT });
    await send(a.page, '/nosuchcommand now');
    await a.page.getByRole('alert').filter({ hasText: 'nosuchcommand' }).waitFor();
    assert.equal(await composer(a.page).inputValue(), '/nosuchcommand now');
  });
});
