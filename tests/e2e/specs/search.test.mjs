// Search in the web client against a real server: a partial word found and highlighted, the
// from: and in: suggestions, Jump opening the channel at an old message (loaded around it and
// highlighted; on a phone too), recent searches, the Files tab, and recent mentions.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { logIn, messages, openPerson, stepWithScreens, signUp, screenshot, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

/** More than a channel's first page (60), so the oldest message is not loaded when the channel opens. */
const FILLERS = 80;
/** Each filler is two paragraphs, so the posts loaded after the old message are well below the screen. */
const filler = (i) => `Filler ${String(i).padStart(3, '0')}`;

/**
 * Posts `texts` in order to the channel named `channelName` of the person's team, through the
 * API with the browser's own session (cookie and CSRF header); resolves with the posts' ids.
 */
function postAll(page, channelName, texts) {
  return page.evaluate(async ({ channelName, texts }) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
    const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf };
    const call = async (path, init) => {
      const res = await fetch(`/api/v4${path}`, { headers, ...init });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json();
    };
    const [team] = await call('/users/me/teams');
    const channel = await call(`/teams/${team.id}/channels/name/${channelName}`);
    const ids = [];
    for (const message of texts) {
      ids.push((await call('/posts', { method: 'POST', body: JSON.stringify({ channel_id: channel.id, message }) })).id);
    }
    return ids;
  }, { channelName, texts });
}

/**
 * Waits until the server's search index has the post or file `id` (it indexes a moment after
 * the write): `kind` is `posts` or `files`, `terms` a search that finds it.
 */
async function indexed(page, id, kind = 'posts', terms = 'review') {
  const deadline = Date.now() + LIVE_TIMEOUT;
  const found = () => page.evaluate(async ({ id, kind, terms }) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
    const res = await fetch(`/api/v4/${kind}/search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ terms, per_page: 5 }),
    });
    return res.ok && (await res.json()).order.includes(id);
  }, { id, kind, terms });
  while (!(await found())) {
    assert.ok(Date.now() < deadline, 'the post is indexed in time');
    await page.waitForTimeout(100);
  }
}

/** Attaches a text file named `name` to a new message in Town Square; resolves with its FileInfo. */
function postFile(page, name, message) {
  return page.evaluate(async ({ name, message }) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
    const headers = { 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf };
    const [team] = await (await fetch('/api/v4/users/me/teams', { headers })).json();
    const channel = await (await fetch(`/api/v4/teams/${team.id}/channels/name/town-square`, { headers })).json();
    const form = new FormData();
    form.append('channel_id', channel.id);
    form.append('files', new Blob(['Countdown at noon.\n'], { type: 'text/plain' }), name);
    const [info] = (await (await fetch('/api/v4/files', { method: 'POST', headers, body: form })).json()).file_infos;
    const body = JSON.stringify({ channel_id: channel.id, message, file_ids: [info.id] });
    const post = await (await fetch('/api/v4/posts', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body })).json();
    return { ...info, channel_id: channel.id, post_id: post.id };
  }, { name, message });
}

describe('search', () => {
  let server;
  let browser;
  let a;
  let b;
  let oldPostId;

  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));
  const box = () => a.page.getByRole('combobox', { name: 'Search messages' });
  const results = () => a.page.getByRole('complementary', { name: 'Search results' });
  const hit = (text) => results().getByRole('article').filter({ hasText: text });

  /** Types `terms` into the empty search box and presses Enter. */
  async function search(terms) {
    await box().fill(terms);
    await box().press('Enter');
  }

  before(async () => {
    server = await startServer();
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('alice and bob share a team with old and new messages', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Search Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.waitForURL('**/search-team/channels/town-square');
    await signUp(b.page, bob);
    await b.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    await b.page.getByRole('button', { name: 'Join' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();

    [oldPostId] = await postAll(a.page, 'town-square', [
      'The deployment of hostname.example.com finished',
      ...Array.from({ length: FILLERS }, (_, i) => `${filler(i)}\n\nSome more words to make it taller.`),
    ]);
    const [mentionId] = await postAll(b.page, 'off-topic', ['@alice please review the deployment notes']);
    await indexed(a.page, mentionId);
    // Opened afresh, Town Square has only its newest page: the old message is not loaded.
    await a.page.reload();
    await messages(a.page).getByText(filler(FILLERS - 1), { exact: true }).waitFor();
    assert.equal(await a.page.locator(`[data-post-id="${oldPostId}"]`).count(), 0);
  });

  test('a partial word finds its messages, newest first, with the matched words highlighted', async () => {
    await search('deploym');
    await hit('review the deployment notes').waitFor({ timeout: LIVE_TIMEOUT });
    await hit('hostname.example.com').waitFor();
    const found = await results().getByRole('article').allInnerTexts();
    assert.equal(found.length, 2);
    assert.match(found[0], /review the deployment notes/, 'the newest first');
    assert.match(found[0], /Off-Topic/, 'with its channel');
    assert.deepEqual(await hit('hostname').locator('mark').allInnerTexts(), ['deployment']);
    await screenshot(a.page, 'search-results');
  });

  test('hits come twenty a page, and Load more brings the next twenty', async () => {
    await search('filler');
    await hit(filler(FILLERS - 1)).waitFor();
    assert.equal(await results().getByRole('article').count(), 20);
    await results().getByRole('button', { name: 'Load more' }).click();
    await hit(filler(FILLERS - 40)).waitFor();
    assert.equal(await results().getByRole('article').count(), 40);
  });

  test('from: suggests people and narrows the search to one', async () => {
    await box().fill('deploym from:b');
    const suggestion = a.page.getByRole('listbox', { name: 'Suggestions for from:' }).getByRole('option', { name: /@bob/ });
    await suggestion.waitFor();
    await screenshot(a.page, 'search-from-suggestion');
    await suggestion.click();
    assert.equal(await box().inputValue(), 'deploym from:bob ');
    await box().press('Enter');
    await hit('hostname').waitFor({ state: 'detached' });
    await hit('review the deployment notes').waitFor();
    assert.equal(await results().getByRole('article').count(), 1);
  });

  test('in: suggests channels by name', async () => {
    await box().fill('notes in:off');
    await a.page.getByRole('listbox', { name: 'Suggestions for in:' }).getByRole('option', { name: /Off-Topic/ }).waitFor();
    await box().press('ArrowDown');
    await box().press('Enter');
    assert.equal(await box().inputValue(), 'notes in:off-topic ');
    await box().press('Enter');
    await hit('review the deployment notes').waitFor();
  });

  test('Jump opens the channel at an old message, loaded around it and highlighted', async () => {
    await search('hostna');
    // The channel's first page (its newest 60 posts) does not have the message: the posts around it are loaded.
    const around = a.page.waitForResponse((r) => r.url().includes(`/posts?before=${oldPostId}`));
    await hit('hostname.example.com').getByRole('link', { name: 'Jump' }).click();
    await around;
    await a.page.waitForURL('**/search-team/channels/town-square');
    const target = messages(a.page).locator(`article.highlighted[data-post-id="${oldPostId}"]`);
    await target.waitFor();
    await target.getByText('hostname.example.com').waitFor();
    assert.ok(await target.isVisible(), 'scrolled into view');
    await messages(a.page).getByText(filler(3), { exact: true }).waitFor();
    assert.ok(await results().isVisible(), 'the results stay open');
    await screenshot(a.page, 'search-jump');

    // The newer posts load as alice scrolls down, up to the newest.
    const newest = messages(a.page).getByText(filler(FILLERS - 1), { exact: true });
    await messages(a.page).hover();
    for (let i = 0; i < 20 && !(await newest.isVisible()); i++) {
      await a.page.mouse.wheel(0, 3000);
      await a.page.waitForTimeout(200);
    }
    await newest.waitFor();
  });

  test('on a phone, Jump closes the results, which would cover the message', async () => {
    const phone = await openPerson(browser, server.url, { viewport: { width: 360, height: 740 } });
    try {
      await logIn(phone.page, alice);
      await phone.page.waitForURL('**/channels/**');
      const phoneBox = phone.page.getByRole('combobox', { name: 'Search messages' });
      await phoneBox.fill('hostna');
      await phoneBox.press('Enter');
      const found = phone.page.getByRole('complementary', { name: 'Search results' });
      await found.getByRole('article').filter({ hasText: 'hostname' }).getByRole('link', { name: 'Jump' }).click();
      await messages(phone.page).locator(`article.highlighted[data-post-id="${oldPostId}"]`).waitFor();
      await found.waitFor({ state: 'detached' });
      await screenshot(phone.page, 'search-jump-phone');
    } finally {
      await phone.context.close();
    }
  });

  test('an empty search box lists the recent searches', async () => {
    await box().fill('');
    await box().click();
    const recent = a.page.getByRole('listbox', { name: 'Recent searches and modifiers' });
    await recent.getByRole('option', { name: /^hostna Recent search/ }).click();
    await hit('hostname.example.com').waitFor();
  });

  test('the Files tab lists the files found, with their channel and a Jump to their message', async () => {
    const file = await postFile(a.page, 'launch-plan.txt', 'The plan, attached');
    await indexed(a.page, file.id, 'files', 'launch');
    await search('launch');
    await results().getByRole('tab', { name: 'Files' }).click();
    const found = results().getByRole('article', { name: 'launch-plan.txt' });
    await found.getByText('Town Square').waitFor({ timeout: LIVE_TIMEOUT });
    assert.match(await found.getByRole('link', { name: 'launch-plan.txt' }).getAttribute('href'), new RegExp(`/api/v4/files/${file.id}\\?download=1$`));
    await found.getByRole('link', { name: 'Jump' }).click();
    await messages(a.page).locator(`article.highlighted[data-post-id="${file.post_id}"]`).waitFor();
  });

  test('recent mentions lists the messages that mention alice', async () => {
    await a.page.getByRole('button', { name: 'Recent mentions' }).click();
    const mentions = a.page.getByRole('complementary', { name: 'Recent mentions' });
    await mentions.getByRole('article').filter({ hasText: 'please review the deployment notes' }).waitFor();
    assert.equal(await mentions.getByRole('article').count(), 1);
    await mentions.getByRole('button', { name: 'Close recent mentions' }).click();
    await mentions.waitFor({ state: 'detached' });
  });
});
