// The shipped polls plugin in the web client: alice creates a poll with /poll, alice and bob
// vote from its buttons in their own browsers, and each sees the counts change live; alice
// ends it and both see the results with who voted.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { messages, openPerson, screenshot, send, signUp, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

describe('polls', () => {
  let server;
  let browser;
  let a;
  let b;

  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

  before(async () => {
    server = await startServer();
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);
    await a.page.goto('/');
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Poll Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    await b.page.goto('/');
    await signUp(b.page, bob);
    await b.page.getByRole('button', { name: 'Join' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const poll = (page) => messages(page).getByRole('article').filter({ hasText: 'Lunch where?' });

  test('alice creates a poll and both see it', async () => {
    // The plugin starts with the server; its command exists once it runs.
    for (let i = 0; i < 50; i++) {
      await send(a.page, '/poll "Lunch where?" "Pizza" "Sushi" --progress');
      if (await poll(a.page).first().waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
    }
    await poll(a.page).getByRole('button', { name: 'Pizza (0)' }).waitFor({ timeout: LIVE_TIMEOUT });
    await poll(b.page).getByRole('button', { name: 'Sushi (0)' }).waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(a.page, 'poll-created');
  });

  test('alice and bob vote and each sees the counts change live', async () => {
    await poll(a.page).getByRole('button', { name: 'Pizza (0)' }).click();
    await poll(b.page).getByRole('button', { name: 'Pizza (1)' }).waitFor({ timeout: LIVE_TIMEOUT });
    await poll(b.page).getByRole('button', { name: 'Sushi (0)' }).click();
    await poll(a.page).getByRole('button', { name: 'Sushi (1)' }).waitFor({ timeout: LIVE_TIMEOUT });
    await poll(a.page).getByRole('button', { name: 'Pizza (1)' }).waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(b.page, 'poll-voted');
  });

  test('alice ends the poll and both see who voted for what', async () => {
    await poll(a.page).getByRole('button', { name: 'End Poll' }).click();
    for (const page of [a.page, b.page]) {
      await poll(page).getByText('This poll has ended').waitFor({ timeout: LIVE_TIMEOUT });
      await poll(page).getByText('@bob').waitFor({ timeout: LIVE_TIMEOUT });
      assert.equal(await poll(page).getByRole('button', { name: /Pizza|Sushi/ }).count(), 0);
    }
    await screenshot(a.page, 'poll-ended');
  });
});
