// Two people in two browser contexts use the web client against a real server: sign-up, teams,
// channels, live messages, mentions, threads, edit/delete, direct messages, reload, restart, a cut connection.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { png } from '../lib/files.mjs';
import { composer, logIn, messages, openChannel, openPerson, screenshot, send, stepWithScreens, sidebarLink, signUp, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

describe('two people chatting', () => {
  let server;
  let browser;
  let a;
  let b;

  /** A step; when it fails, both screens are saved under artifacts/ to show why. */
  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

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

  test('the first account is created on the sign-up page and becomes system admin', async () => {
    await a.page.goto('/');
    await a.page.getByRole('heading', { name: 'Log in' }).waitFor();
    await a.page.getByText('No accounts exist yet').waitFor();
    await screenshot(a.page, 'login');
    await signUp(a.page, alice);
    await a.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    assert.ok(await a.page.getByRole('button', { name: 'System console' }).isVisible(), 'an admin sees the system console');
  });

  test('alice creates a team and lands in Town Square', async () => {
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Rocket Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.waitForURL('**/rocket-team/channels/town-square');
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
  });

  test('bob signs up, joins the team and sees the same channel', async () => {
    await signUp(b.page, bob);
    await b.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    await b.page.getByRole('button', { name: 'Join' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'System console' }).count(), 0);
  });

  test('alice creates a channel and bob joins it from the channel browser', async () => {
    await a.page.getByRole('button', { name: 'Create a channel' }).click();
    await a.page.getByLabel('Name').fill('Launch Plans');
    await a.page.getByRole('button', { name: 'Create channel' }).click();
    await a.page.waitForURL('**/rocket-team/channels/launch-plans');
    await a.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();

    await b.page.getByRole('button', { name: 'Browse channels' }).click();
    await b.page.getByRole('button', { name: 'Join Launch Plans' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();
  });

  test('a message arrives live on the other side', async () => {
    await send(a.page, 'Hello **team**, the launch is on :rocket:');
    await messages(b.page).getByText('the launch is on').waitFor({ timeout: LIVE_TIMEOUT });
    const html = await messages(b.page).locator('.markdown').last().innerHTML();
    assert.match(html, /<strong>team<\/strong>/, 'markdown is rendered');
    assert.match(html, /🚀/, 'emoji shortcodes are rendered');
  });

  test('typing is shown to the other person', async () => {
    await composer(b.page).pressSequentially('I am wri', { delay: 30 });
    await a.page.getByText('bob is typing…').waitFor({ timeout: LIVE_TIMEOUT });
    await composer(b.page).fill('');
  });

  test('a mention of bob in another channel gives him a badge', async () => {
    await openChannel(b.page, 'Town Square');
    await send(a.page, '@bob can you check the checklist?');
    const badge = sidebarLink(b.page, /Launch Plans, 1 mention/);
    await badge.waitFor({ timeout: LIVE_TIMEOUT });
    await badge.click();
    await b.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();
    await sidebarLink(b.page, /^Launch Plans$/).waitFor();
    await screenshot(b.page, 'channel');
  });

  test('bob replies in a thread and alice sees the reply', async () => {
    const post = messages(b.page).getByRole('article').filter({ hasText: 'can you check the checklist' });
    await post.hover();
    await post.getByRole('button', { name: 'Reply' }).click();
    const thread = b.page.getByRole('complementary', { name: 'Thread' });
    await thread.waitFor();
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).fill('Checked, all green');
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).press('Enter');
    await thread.getByText('Checked, all green').waitFor();

    await messages(a.page).getByRole('button', { name: '1 reply' }).waitFor({ timeout: LIVE_TIMEOUT });
    await messages(a.page).getByRole('button', { name: '1 reply' }).click();
    await a.page.getByRole('complementary', { name: 'Thread' }).getByText('Checked, all green').waitFor();
    await screenshot(a.page, 'thread');
    await a.page.getByRole('button', { name: 'Close thread' }).click();
  });

  test('a new reply makes the thread unread in alice\'s Threads view, and opening it clears the badge', async () => {
    const box = b.page.getByRole('complementary', { name: 'Thread' }).getByRole('combobox', { name: 'Reply to the thread' });
    await box.fill('Also, the release notes are ready');
    await box.press('Enter');
    const threads = sidebarLink(a.page, 'Threads, 1 unread');
    await threads.waitFor({ timeout: LIVE_TIMEOUT });
    await threads.click();
    await a.page.waitForURL('**/rocket-team/threads');
    await a.page.getByRole('link', { name: 'Thread by alice in Launch Plans, 1 new reply' }).click();
    await a.page.getByRole('log', { name: 'Thread messages' }).getByText('Also, the release notes are ready').waitFor();
    await sidebarLink(a.page, /^Threads$/).waitFor({ timeout: LIVE_TIMEOUT });
    await a.page.getByRole('link', { name: 'Thread by alice in Launch Plans', exact: true }).waitFor();
    await screenshot(a.page, 'threads');
    await openChannel(a.page, 'Launch Plans');
  });

  test('alice makes a category, drags a channel into it, and it is still there after a reload', async () => {
    const sidebar = a.page.getByRole('navigation', { name: 'Channels' });
    await sidebar.getByRole('button', { name: 'New category' }).click();
    await sidebar.getByLabel('Category name').fill('Launches');
    await sidebar.getByLabel('Category name').press('Enter');
    const launches = () => a.page.getByRole('navigation', { name: 'Channels' }).getByRole('region', { name: /Launches$/ });
    await launches().waitFor();
    await sidebarLink(a.page, /^Off-Topic/).dragTo(launches());
    await launches().getByRole('link', { name: /^Off-Topic/ }).waitFor();
    await screenshot(a.page, 'categories');
    await a.page.reload();
    await launches().getByRole('link', { name: /^Off-Topic/ }).waitFor();
    await a.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();
  });

  test('alice schedules a message and it is sent at its time', async () => {
    await composer(a.page).fill('Standup in five minutes');
    await a.page.getByRole('button', { name: 'Schedule message' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Schedule message' });
    const at = await a.page.evaluate(() => {
      const t = Date.now() + 4000;
      return new Date(t - new Date(t).getTimezoneOffset() * 60000).toISOString().slice(0, 19);
    });
    await dialog.getByLabel('Send at').fill(at);
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    const banner = a.page.getByRole('region', { name: 'Scheduled messages' });
    await banner.getByText('1 scheduled message').waitFor();
    assert.equal(await composer(a.page).inputValue(), '');
    await screenshot(a.page, 'scheduled');
    await messages(b.page).getByText('Standup in five minutes').waitFor({ timeout: 20000 });
    await messages(a.page).getByText('Standup in five minutes').waitFor({ timeout: LIVE_TIMEOUT });
    await banner.waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
  });

  test('a draft is kept on the server: a browser that forgot it gets it back', async () => {
    const saved = a.page.waitForResponse((r) => r.url().endsWith('/api/v4/drafts') && r.request().method() === 'POST');
    await composer(a.page).fill('A half-written thought');
    assert.equal((await saved).status(), 201);
    await a.page.evaluate(() => localStorage.clear());
    await a.page.reload();
    await a.page.waitForFunction(() => document.querySelector('main textarea')?.value === 'A half-written thought');
    const deleted = a.page.waitForResponse((r) => r.url().includes('/drafts') && r.request().method() === 'DELETE');
    await composer(a.page).fill('');
    assert.equal((await deleted).status(), 200);
  });

  test('alice saves and pins a message; the saved and pinned lists show it, and bob sees the pin', async () => {
    const post = messages(a.page).getByRole('article').filter({ hasText: 'can you check the checklist' });
    await post.hover();
    await post.getByRole('button', { name: 'Save', exact: true }).click();
    await post.getByText('Saved', { exact: true }).waitFor();
    await post.getByRole('button', { name: 'Pin to channel' }).click();
    await post.getByText('Pinned', { exact: true }).first().waitFor();
    const bobsCopy = messages(b.page).getByRole('article').filter({ hasText: 'can you check the checklist' });
    await bobsCopy.getByText('Pinned', { exact: true }).first().waitFor({ timeout: LIVE_TIMEOUT });
    await a.page.getByRole('button', { name: 'Saved messages' }).click();
    await a.page.getByRole('log', { name: 'Saved messages' }).getByText('can you check the checklist').waitFor();
    await a.page.getByRole('button', { name: 'Pinned messages' }).click();
    await a.page.getByRole('log', { name: 'Pinned messages' }).getByText('can you check the checklist').waitFor();
    await screenshot(a.page, 'pinned');
    await a.page.getByRole('button', { name: 'Close pinned messages' }).click();
  });

  test('alice edits a message and bob sees it edited', async () => {
    const post = messages(a.page).getByRole('article').filter({ hasText: 'the launch is on' });
    await post.hover();
    await post.getByRole('button', { name: 'Edit' }).click();
    const editor = a.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Hello team, the launch moved to Friday');
    await editor.press('Enter');
    const seen = messages(b.page).getByRole('article').filter({ hasText: 'the launch moved to Friday' });
    await seen.waitFor({ timeout: LIVE_TIMEOUT });
    await seen.getByText('(edited)').waitFor();
  });

  test('alice reacts to a message and bob sees it live, with who reacted', async () => {
    const post = messages(a.page).getByRole('article').filter({ hasText: 'the launch moved to Friday' });
    await post.hover();
    await post.getByRole('button', { name: 'Add reaction' }).click();
    const picker = a.page.getByRole('dialog', { name: 'Add a reaction' });
    await picker.getByLabel('Search emoji').fill('tada');
    await picker.getByRole('button', { name: 'tada', exact: true }).click();
    const seen = messages(b.page).getByRole('article').filter({ hasText: 'the launch moved to Friday' });
    const bobsChip = seen.getByRole('button', { name: 'tada reaction by @alice', exact: true });
    await bobsChip.waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await bobsChip.getAttribute('aria-pressed'), 'false');
    await bobsChip.click();
    const alicesChip = post.getByRole('button', { name: 'tada reaction by you, @bob', exact: true });
    await alicesChip.waitFor({ timeout: LIVE_TIMEOUT });
    assert.match(await alicesChip.innerText(), /2/);
    await screenshot(a.page, 'reactions');
    await alicesChip.click();
    await seen.getByRole('button', { name: 'tada reaction by you', exact: true }).waitFor({ timeout: LIVE_TIMEOUT });

    await post.hover();
    await post.getByRole('button', { name: 'Add reaction' }).click();
    await picker.getByLabel('Skin tone').selectOption('medium');
    await picker.getByRole('button', { name: '+1_medium_skin_tone', exact: true }).click();
    await seen.getByRole('button', { name: '+1_medium_skin_tone reaction by @alice', exact: true }).waitFor({ timeout: LIVE_TIMEOUT });
  });

  test('alice reads her message\'s edit history and restores the first version; bob sees it restored', async () => {
    const post = messages(a.page).getByRole('article').filter({ hasText: 'the launch moved to Friday' });
    await post.getByRole('button', { name: '(edited)' }).click();
    const history = a.page.getByRole('dialog', { name: 'Edit history' });
    await history.getByRole('button', { name: /^Restore "Hello \*\*team\*\*, the launch is on/ }).click();
    await messages(b.page).getByRole('article').filter({ hasText: 'the launch is on' }).waitFor({ timeout: LIVE_TIMEOUT });
  });

  test('alice sends an urgent message asking for acknowledgement, and sees bob acknowledge it', async () => {
    await composer(a.page).fill('Deploy freeze starts now');
    await a.page.getByRole('button', { name: 'Message priority' }).click();
    await a.page.getByLabel('Urgent').check();
    await a.page.getByLabel('Request acknowledgement').check();
    await a.page.getByRole('button', { name: 'Done' }).click();
    await composer(a.page).press('Enter');
    const bobsCopy = messages(b.page).getByRole('article').filter({ hasText: 'Deploy freeze starts now' });
    await bobsCopy.getByText('Urgent', { exact: true }).waitFor({ timeout: LIVE_TIMEOUT });
    await bobsCopy.getByRole('button', { name: /Acknowledge$/ }).click();
    await bobsCopy.getByRole('button', { name: /Acknowledged 1$/ }).waitFor();
    const alicesCopy = messages(a.page).getByRole('article').filter({ hasText: 'Deploy freeze starts now' });
    await alicesCopy.getByRole('button', { name: /Acknowledge 1$/ }).waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(a.page, 'priority');
  });

  test('bob asks to be reminded of a message and is told when', async () => {
    const post = messages(b.page).getByRole('article').filter({ hasText: 'Deploy freeze starts now' });
    await post.hover();
    await post.getByRole('button', { name: 'Remind me' }).click();
    await b.page.getByRole('menuitem', { name: 'In 30 minutes' }).click();
    await messages(b.page).getByText(/will be reminded about/i).waitFor({ timeout: LIVE_TIMEOUT });
  });

  test('alice adds a bookmark to the channel and bob sees it in his bookmarks bar', async () => {
    const bar = a.page.getByRole('navigation', { name: 'Bookmarks' });
    await bar.getByRole('button', { name: 'Add a bookmark' }).click();
    await bar.getByLabel('Bookmark title').fill('Launch checklist');
    await bar.getByLabel('Bookmark link').fill('https://example.com/launch');
    await bar.getByRole('button', { name: 'Add', exact: true }).click();
    const seen = b.page.getByRole('navigation', { name: 'Bookmarks' }).getByRole('link', { name: /Launch checklist/ });
    await seen.waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await seen.getAttribute('href'), 'https://example.com/launch');
  });

  test('alice deletes a message and it disappears for bob', async () => {
    await send(a.page, 'This one was a mistake');
    await messages(b.page).getByText('This one was a mistake').waitFor({ timeout: LIVE_TIMEOUT });
    const post = messages(a.page).getByRole('article').filter({ hasText: 'This one was a mistake' });
    await post.hover();
    await post.getByRole('button', { name: 'Delete' }).click();
    await a.page.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete' }).click();
    await messages(a.page).getByText('This one was a mistake').waitFor({ state: 'detached' });
    await messages(b.page).getByText('This one was a mistake').waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
  });

  test('alice opens a direct message with bob', async () => {
    await a.page.getByRole('button', { name: 'Write a direct message' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Direct messages' });
    await dialog.getByLabel('Find people').fill('bob');
    await dialog.getByRole('checkbox').first().check();
    await dialog.getByRole('button', { name: 'Go' }).click();
    await a.page.waitForURL('**/rocket-team/messages/@bob');
    await send(a.page, 'Psst, a private word');
    const dm = sidebarLink(b.page, /^alice/);
    await dm.waitFor({ timeout: LIVE_TIMEOUT });
    await dm.click();
    await messages(b.page).getByText('Psst, a private word').waitFor();
    await screenshot(b.page, 'dm');
  });

  test('a reload keeps bob in the same conversation', async () => {
    const before = b.page.url();
    await b.page.reload();
    await messages(b.page).getByText('Psst, a private word').waitFor();
    assert.equal(b.page.url(), before);
  });

  test('both recover after the server restarts mid-session', async () => {
    await openChannel(b.page, 'Launch Plans');
    await openChannel(a.page, 'Launch Plans');
    await server.stop();
    await b.page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 20000 });
    await server.start();
    await b.page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden', timeout: 30000 });
    await a.page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden', timeout: 30000 });
    await send(a.page, 'Back after the restart');
    await messages(b.page).getByText('Back after the restart').waitFor({ timeout: LIVE_TIMEOUT });
  });

  test('messages sent while bob is offline arrive once after he reconnects', async () => {
    // Bob's WebSocket goes through a route the test can cut (and keep refusing) at will.
    let cut = false;
    const live = [];
    await b.page.routeWebSocket(/\/api\/v4\/websocket/, (ws) => {
      if (cut) return ws.close();
      live.push({ page: ws, server: ws.connectToServer() });
    });
    await b.page.reload();
    await openChannel(b.page, 'Launch Plans');
    await openChannel(a.page, 'Launch Plans');
    await send(a.page, 'Before bob went away');
    await messages(b.page).getByText('Before bob went away').waitFor({ timeout: LIVE_TIMEOUT });

    cut = true;
    try {
      for (const ws of live.splice(0)) {
        await ws.server.close();
        await ws.page.close();
      }
      await b.page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 20000 });
      await send(a.page, 'Sent while bob was away');
      await send(a.page, 'And a second one');
      await messages(a.page).getByText('And a second one').waitFor();
      assert.equal(await messages(b.page).getByText('Sent while bob was away').count(), 0, 'bob cannot have it while offline');
    } finally {
      cut = false;
    }
    await b.page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden', timeout: 30000 });
    const log = messages(b.page);
    await log.getByText('And a second one').waitFor({ timeout: LIVE_TIMEOUT });
    // Live again: a message after the reconnect arrives too, after the missed ones.
    await send(a.page, 'Welcome back, bob');
    await log.getByText('Welcome back, bob').waitFor({ timeout: LIVE_TIMEOUT });
    for (const text of ['Sent while bob was away', 'And a second one', 'Welcome back, bob']) {
      assert.equal(await log.getByText(text).count(), 1, `"${text}" is shown once`);
    }
    const order = await log.locator('[data-post-id]').allInnerTexts();
    const at = (text) => order.findIndex((t) => t.includes(text));
    assert.ok(at('Sent while bob was away') < at('And a second one') && at('And a second one') < at('Welcome back, bob'), 'in the order they were sent');
  });

  test('Ctrl+K switches channels and Alt+Up/Down walks the sidebar', async () => {
    await a.page.keyboard.press('Control+k');
    const switcher = a.page.getByRole('dialog', { name: 'Switch channels' });
    await switcher.getByRole('combobox').fill('town');
    await switcher.getByRole('combobox').press('Enter');
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    // Off-Topic is in alice's own category, above Channels (Launch Plans, Town Square).
    await a.page.keyboard.press('Alt+ArrowUp');
    await a.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();
    await a.page.keyboard.press('Alt+ArrowDown');
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
  });

  test('a permalink opens the channel with the post highlighted and its thread open', async () => {
    await openChannel(b.page, 'Launch Plans');
    const post = messages(b.page).getByRole('article').filter({ hasText: 'can you check the checklist' });
    const postId = await post.getAttribute('data-post-id');
    await openChannel(b.page, 'Town Square');
    await b.page.goto(`/rocket-team/pl/${postId}`);
    await b.page.waitForURL('**/rocket-team/channels/launch-plans');
    await b.page.getByRole('complementary', { name: 'Thread' }).getByText('Checked, all green').waitFor();
    await b.page.locator(`article.highlighted[data-post-id="${postId}"]`).first().waitFor();
    await b.page.getByRole('button', { name: 'Close thread' }).click();
  });

  test('the member list shows who is online and opens a profile', async () => {
    await b.page.getByRole('button', { name: 'Members' }).click();
    const members = b.page.getByRole('complementary', { name: 'Members' });
    await members.getByRole('button', { name: /alice/ }).click();
    const profile = b.page.getByRole('dialog', { name: 'Profile of alice' });
    await profile.getByText('Online').waitFor();
    await b.page.keyboard.press('Escape');
    await b.page.getByRole('button', { name: 'Close members' }).click();
  });

  test('settings change the display name and the theme', async () => {
    await a.page.getByRole('button', { name: 'Account menu for alice' }).click();
    await a.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = a.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('First name').fill('Alice');
    await settings.getByLabel('Last name').fill('Liddell');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved.').waitFor();
    await settings.getByRole('tab', { name: 'Display' }).click();
    await settings.getByLabel('Dark').check();
    await a.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await settings.getByLabel('Light').check();
    await a.page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await a.page.keyboard.press('Escape');
    // Bob's member list shows the new full name.
    await b.page.getByRole('button', { name: 'Members' }).click();
    await b.page.getByRole('complementary', { name: 'Members' }).getByText('Alice Liddell').waitFor();
    await b.page.getByRole('button', { name: 'Close members' }).click();
  });

  test('alice uploads a profile picture, bob sees it beside her messages, and she removes it', async () => {
    /** The centre pixel of alice's newest avatar on bob's screen, once it has loaded. */
    const avatarCentre = () =>
      messages(b.page).getByRole('button', { name: 'Profile of alice' }).last().locator('img').evaluate(async (img) => {
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(img, 0, 0);
        return { size: img.naturalWidth, pixel: [...context.getImageData(img.naturalWidth / 2, img.naturalHeight / 2, 1, 1).data] };
      });
    await openChannel(a.page, 'Town Square');
    await openChannel(b.page, 'Town Square');
    await send(a.page, 'a message with my face beside it');
    await messages(b.page).getByText('a message with my face beside it').waitFor({ timeout: LIVE_TIMEOUT });
    const generated = await avatarCentre();

    await a.page.getByRole('button', { name: 'Account menu for alice' }).click();
    await a.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = a.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Upload picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png(300, 200, [250, 180, 0]) });
    await settings.getByRole('button', { name: 'Remove picture' }).waitFor();
    await b.page.waitForFunction(
      () => [...document.querySelectorAll('[role=log] .avatar img')].some((img) => /\/image\?_=[1-9]/.test(img.getAttribute('src'))),
      null,
      { timeout: LIVE_TIMEOUT },
    );
    const uploaded = await avatarCentre();
    assert.equal(uploaded.size, 128, 'the server made a 128 px square');
    assert.deepEqual(uploaded.pixel.slice(0, 3), [250, 180, 0]);
    await screenshot(b.page, 'profile-picture');

    await settings.getByRole('button', { name: 'Remove picture' }).click();
    await settings.getByRole('button', { name: 'Remove picture' }).waitFor({ state: 'detached' });
    await b.page.waitForFunction(
      () => [...document.querySelectorAll('[role=log] .avatar img')].some((img) => /\/image\?_=-/.test(img.getAttribute('src'))),
      null,
      { timeout: LIVE_TIMEOUT },
    );
    assert.deepEqual((await avatarCentre()).pixel, generated.pixel, 'the generated picture is back');
    await a.page.keyboard.press('Escape');
  });

  test('on a 360 px phone in the dark theme the sidebar is a drawer', async () => {
    const phone = await openPerson(browser, server.url, { viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    try {
      await logIn(phone.page, bob);
      await phone.page.waitForURL('**/channels/**');
      await phone.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
      assert.equal(await phone.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal(await phone.page.evaluate(() => document.documentElement.scrollWidth), 360, 'nothing overflows sideways');
      await screenshot(phone.page, 'mobile-channel-dark');
      await phone.page.getByRole('button', { name: 'Open the sidebar' }).click();
      await openChannel(phone.page, 'Town Square');
      await send(phone.page, 'Sent from my phone');
      await messages(a.page).getByText('Sent from my phone').waitFor({ timeout: LIVE_TIMEOUT });
      await phone.page.getByRole('button', { name: 'Open the sidebar' }).click();
      await screenshot(phone.page, 'mobile-sidebar-dark');
    } finally {
      await phone.context.close();
    }
  });

  test('alice manages users in the system console', async () => {
    await a.page.goto('/admin_console/user_management/users');
    await a.page.getByRole('heading', { name: 'Users' }).waitFor();
    await a.page.getByLabel("New user's email").fill('carol@example.com');
    await a.page.getByLabel("New user's username").fill('carol');
    await a.page.getByLabel("New user's password").fill('carol-password-1');
    await a.page.getByRole('button', { name: 'Create user' }).click();
    const carol = a.page.getByRole('row').filter({ hasText: '@carol' });
    await carol.waitFor();
    await carol.getByRole('button', { name: 'Deactivate' }).click();
    await carol.getByText('Deactivated').waitFor();
    await screenshot(a.page, 'admin-users');
  });
});
