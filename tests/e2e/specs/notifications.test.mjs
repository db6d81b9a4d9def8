// Desktop notifications, the unread title and icon, and the notification settings: alice writes,
// bob's browser (notifications allowed) is told. Headless Chromium shows no notification, so an
// init script in bob's context replaces `Notification` with one that records what it is given.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { api, apiLogin } from '../lib/api.mjs';
import { composer, messages, openChannel, openPerson, screenshot, send, sidebarLink, signUp, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

/** Runs in bob's pages before the client: `new Notification(...)` lands in window.__notifications. */
function recordNotifications() {
  const Real = window.Notification;
  window.__notifications = [];
  window.Notification = class {
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
    constructor(title, options = {}) {
      this.title = title;
      this.body = options.body ?? '';
      this.onclick = null;
      window.__notifications.push({ title, body: this.body });
      window.__lastNotification = this;
    }
    close() {}
  };
}

describe('desktop notifications', () => {
  let server;
  let browser;
  let a;
  let b;
  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

  const told = () => b.page.evaluate(() => window.__notifications);
  /** Waits until bob has been told `count` things in all. */
  const toldCount = (count) => b.page.waitForFunction((n) => window.__notifications.length >= n, count, { timeout: LIVE_TIMEOUT });
  const title = () => b.page.title();

  before(async () => {
    server = await startServer({
      env: {
        MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS: 'true',
        MM_EMAILSETTINGS_ENABLEEMAILBATCHING: 'true',
        MM_EMAILSETTINGS_SENDPUSHNOTIFICATIONS: 'true',
      },
    });
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);
    await b.context.grantPermissions(['notifications'], { origin: server.url });
    await b.context.addInitScript(recordNotifications);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('alice sets up a team with two channels, and bob joins both', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Rocket Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    for (const name of ['Chatter', 'Launch Plans']) {
      await a.page.getByRole('button', { name: 'Create a channel' }).click();
      await a.page.getByLabel('Name').fill(name);
      await a.page.getByRole('button', { name: 'Create channel' }).click();
      await a.page.getByRole('heading', { level: 1, name }).waitFor();
    }

    await signUp(b.page, bob);
    await b.page.getByRole('button', { name: 'Join' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    for (const name of ['Chatter', 'Launch Plans']) {
      await b.page.getByRole('button', { name: 'Browse channels' }).click();
      await b.page.getByRole('button', { name: `Join ${name}` }).click();
      await b.page.getByRole('heading', { level: 1, name }).waitFor();
    }
    await openChannel(b.page, 'Town Square');
    // Permission is granted already, so the client does not ask for it.
    assert.equal(await b.page.getByRole('region', { name: 'Desktop notifications' }).count(), 0);
    await b.page.waitForFunction(() => document.title === 'Town Square - Rocket Team Utmost');
  });

  test('a mention while bob is in another channel raises one notification; the title and icon count it', async () => {
    await send(a.page, '@bob the **countdown** starts at noon');
    await toldCount(1);
    assert.deepEqual(await told(), [{ title: 'Launch Plans', body: '@alice: @bob the countdown starts at noon' }]);
    await b.page.waitForFunction(() => document.title === '(1) Town Square - Rocket Team Utmost');
    assert.ok(await iconHasRedDot(b.page), 'the tab icon has a red dot');
  });

  test('a message without a mention tells nobody at the default level', async () => {
    await send(a.page, 'just a status update');
    await send(a.page, '@bob are you there?');
    await toldCount(2);
    const all = await told();
    assert.equal(all.length, 2);
    assert.equal(all[1].body, '@alice: @bob are you there?');
    await b.page.waitForFunction(() => document.title === '(2) Town Square - Rocket Team Utmost');
  });

  test('clicking the notification opens its channel; an unread message without mentions marks the title', async () => {
    await b.page.evaluate(() => window.__lastNotification.onclick());
    await b.page.getByRole('heading', { level: 1, name: 'Launch Plans' }).waitFor();
    await b.page.waitForFunction(() => document.title === 'Launch Plans - Rocket Team Utmost');
    assert.equal(await iconHasRedDot(b.page), false, 'no mentions left, no dot');

    await openChannel(a.page, 'Chatter');
    await send(a.page, 'nothing for bob here');
    await b.page.waitForFunction(() => document.title === '* Launch Plans - Rocket Team Utmost', null, { timeout: LIVE_TIMEOUT });
    await openChannel(a.page, 'Launch Plans');
  });

  test('bob mutes Chatter from its notification preferences: a mention there tells him nothing', async () => {
    await openChannel(b.page, 'Chatter');
    await b.page.getByLabel('More channel actions').click();
    await b.page.getByRole('button', { name: 'Notification preferences' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Notification preferences for Chatter' });
    await dialog.getByLabel('Mute channel').check();
    await screenshot(b.page, 'channel-notifications');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await sidebarLink(b.page, /^Chatter, muted/).waitFor();
    await openChannel(b.page, 'Town Square');

    await openChannel(a.page, 'Chatter');
    await send(a.page, '@bob a mention in the muted channel');
    await sidebarLink(b.page, /^Chatter, muted, 1 mention/).waitFor({ timeout: LIVE_TIMEOUT });
    await openChannel(a.page, 'Launch Plans');
    await send(a.page, '@bob back in the loud channel');
    await toldCount(3);
    await b.page.waitForTimeout(300);
    const bodies = (await told()).map((n) => n.body);
    assert.deepEqual(bodies.slice(2), ['@alice: @bob back in the loud channel']);
    // The muted channel's mention still counts in the title.
    await b.page.waitForFunction(() => document.title === '(2) Town Square - Rocket Team Utmost');
  });

  test('do not disturb silences notifications', async () => {
    await setStatus(b.page, 'Do not disturb');
    await send(a.page, '@bob while you are busy');
    await sidebarLink(b.page, /^Launch Plans, 2 mentions/).waitFor({ timeout: LIVE_TIMEOUT });
    await setStatus(b.page, 'Online');
    await send(a.page, '@bob now that you are back');
    await toldCount(4);
    await b.page.waitForTimeout(300);
    assert.deepEqual((await told()).slice(3).map((n) => n.body), ['@alice: @bob now that you are back']);
  });

  test('bob hears of replies to a thread he follows, and not after unfollowing it', async () => {
    await openChannel(b.page, 'Launch Plans');
    await send(a.page, 'Fuel checklist');
    const root = messages(b.page).getByRole('article').filter({ hasText: 'Fuel checklist' });
    await root.waitFor({ timeout: LIVE_TIMEOUT });
    await root.hover();
    await root.getByRole('button', { name: 'Reply', exact: true }).click();
    const thread = b.page.getByRole('complementary', { name: 'Thread' });
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).fill('I will take it');
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).press('Enter');
    await thread.getByRole('button', { name: 'Following' }).waitFor();
    await thread.getByRole('button', { name: 'Close thread' }).click();
    await openChannel(b.page, 'Town Square');

    const before = (await told()).length;
    await replyAsAlice('Fuel checklist', 'Tanks are full');
    await toldCount(before + 1);
    assert.deepEqual((await told()).at(-1), { title: 'Reply in Launch Plans', body: '@alice: Tanks are full' });

    await openChannel(b.page, 'Launch Plans');
    const rootAgain = messages(b.page).getByRole('article').filter({ hasText: 'Fuel checklist' });
    await rootAgain.hover();
    await rootAgain.getByRole('button', { name: 'Reply', exact: true }).click();
    await thread.getByRole('button', { name: 'Following' }).click();
    await thread.getByRole('button', { name: 'Follow', exact: true }).waitFor();
    await thread.getByRole('button', { name: 'Close thread' }).click();
    await openChannel(b.page, 'Town Square');
    await replyAsAlice('Fuel checklist', 'Valves checked');
    await send(a.page, '@bob one more thing');
    await toldCount(before + 2);
    await b.page.waitForTimeout(300);
    assert.deepEqual((await told()).slice(before + 1).map((n) => n.body), ['@alice: @bob one more thing']);
  });

  test('notification settings are saved, survive a reload, and a keyword of bob\'s tells him', async () => {
    await openSettings(b.page);
    const settings = b.page.getByRole('dialog', { name: 'Settings' });
    const desktop = settings.getByRole('group', { name: 'Desktop notifications' });
    await desktop.getByLabel('Mentions, direct messages, and group messages').check();
    await desktop.getByLabel('Sound', { exact: true }).selectOption('Upstairs');
    await settings.getByRole('group', { name: 'Email notifications' }).getByLabel('Once every hour').check();
    const push = settings.getByRole('group', { name: 'Mobile push notifications' });
    await push.getByLabel('Nothing').check();
    const keywords = settings.getByRole('group', { name: 'Keywords that trigger notifications' });
    await keywords.getByLabel(/Channel-wide mentions/).uncheck();
    await keywords.getByLabel(/Other non case-sensitive words/).fill('rocket, liftoff');
    const autoReply = settings.getByRole('group', { name: 'Automatic direct message replies' });
    await autoReply.getByLabel(/Reply to direct messages automatically/).check();
    await autoReply.getByLabel('Automatic reply').fill('Away until Monday');
    await screenshot(b.page, 'notification-settings');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved.').waitFor();

    await b.page.reload();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    await openSettings(b.page);
    assert.ok(await desktop.getByLabel('Mentions, direct messages, and group messages').isChecked());
    assert.equal(await desktop.getByLabel('Sound', { exact: true }).inputValue(), 'Upstairs');
    assert.ok(await settings.getByRole('group', { name: 'Email notifications' }).getByLabel('Once every hour').isChecked());
    assert.ok(await push.getByLabel('Nothing').isChecked());
    assert.equal(await keywords.getByLabel(/Channel-wide mentions/).isChecked(), false);
    assert.equal(await keywords.getByLabel(/Other non case-sensitive words/).inputValue(), 'rocket,liftoff');
    assert.ok(await autoReply.getByLabel(/Reply to direct messages automatically/).isChecked());
    assert.equal(await autoReply.getByLabel('Automatic reply').inputValue(), 'Away until Monday');
    // The automatic reply makes bob "out of office", which silences his notifications (as in
    // Mattermost); turning it off makes him online again.
    await autoReply.getByLabel(/Reply to direct messages automatically/).uncheck();
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved.').waitFor();
    await b.page.keyboard.press('Escape');

    const before = (await told()).length;
    await send(a.page, 'The Rocket is on the pad');
    await toldCount(before + 1);
    assert.deepEqual((await told()).at(-1), { title: 'Launch Plans', body: '@alice: The Rocket is on the pad' });
  });

  test('the channel bob is reading in a focused window tells him nothing', async () => {
    await openChannel(b.page, 'Launch Plans');
    await b.page.bringToFront();
    assert.ok(await b.page.evaluate(() => document.hasFocus()), "bob's window has the focus");
    const before = (await told()).length;
    await send(a.page, '@bob I can see you are here');
    await messages(b.page).getByText('I can see you are here').waitFor({ timeout: LIVE_TIMEOUT });
    await openChannel(a.page, 'Town Square');
    await send(a.page, '@bob over in Town Square');
    await toldCount(before + 1);
    await b.page.waitForTimeout(300);
    assert.deepEqual((await told()).slice(before), [{ title: 'Town Square', body: '@alice: @bob over in Town Square' }]);
  });

  test('at "For all activity" every message tells bob, but never his own', async () => {
    await openSettings(b.page);
    const settings = b.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('group', { name: 'Desktop notifications' }).getByLabel('For all activity').check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved.').waitFor();
    await b.page.keyboard.press('Escape');

    const before = (await told()).length;
    await openChannel(b.page, 'Town Square');
    await send(b.page, 'bob says hello to everyone');
    await openChannel(b.page, 'Launch Plans');
    await send(a.page, 'plain words without a mention');
    await toldCount(before + 1);
    await b.page.waitForTimeout(300);
    assert.deepEqual((await told()).slice(before), [{ title: 'Town Square', body: '@alice: plain words without a mention' }]);
  });

  test('@channel in a channel of more than five others asks alice first, with how many people and timezones it reaches', async () => {
    // Five more people join Launch Plans over the API, two of them in timezones of their own.
    const token = await apiLogin(server, alice);
    const [team] = (await api(server, 'GET', '/users/me/teams', undefined, token)).body;
    const channel = (await api(server, 'GET', `/teams/${team.id}/channels/name/launch-plans`, undefined, token)).body;
    const zones = ['Europe/Berlin', 'Asia/Tokyo', '', '', ''];
    for (const [i, zone] of zones.entries()) {
      const person = { email: `crew${i}@example.com`, username: `crew${i}`, password: `crew-password-${i}` };
      const user = (await api(server, 'POST', '/users', person, token)).body;
      await api(server, 'POST', `/teams/${team.id}/members`, { team_id: team.id, user_id: user.id }, token);
      await api(server, 'POST', `/channels/${channel.id}/members`, { user_id: user.id }, token);
      if (zone) {
        const timezone = { useAutomaticTimezone: 'false', automaticTimezone: '', manualTimezone: zone };
        await api(server, 'PUT', `/users/${user.id}/patch`, { timezone }, await apiLogin(server, person));
      }
    }
    const timezones = (await api(server, 'GET', `/channels/${channel.id}/timezones`, undefined, token)).body;
    assert.ok(timezones.length >= 2, `Berlin and Tokyo at least: ${timezones}`);

    await openChannel(a.page, 'Launch Plans');
    const dialog = a.page.getByRole('dialog', { name: 'Confirm sending notifications to entire channel' });
    await send(a.page, '@channel lift-off moves to noon');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`@channel you are about to send notifications to 6 people in ${timezones.length} timezones`));
    await screenshot(a.page, 'confirm-channel-wide-mention');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await composer(a.page).inputValue(), '@channel lift-off moves to noon', 'cancelling keeps the message');
    assert.equal(await messages(a.page).getByText('lift-off moves to noon').count(), 0, 'nothing was sent');

    await composer(a.page).press('Enter');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await messages(b.page).getByText('lift-off moves to noon').waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await composer(a.page).inputValue(), '');

    await send(a.page, 'a word to @here');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /@here you are about to send notifications to up to 6 other people\./);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await messages(a.page).getByText('a word to').waitFor();

    // Chatter has only alice and bob: no question.
    await openChannel(a.page, 'Chatter');
    await send(a.page, '@all lunch?');
    await messages(a.page).getByText('lunch?').waitFor();
    assert.equal(await dialog.count(), 0);
  });

  async function replyAsAlice(rootText, reply) {
    const root = messages(a.page).getByRole('article').filter({ hasText: rootText });
    await root.hover();
    await root.getByRole('button', { name: 'Reply', exact: true }).click();
    const thread = a.page.getByRole('complementary', { name: 'Thread' });
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).fill(reply);
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).press('Enter');
    await thread.getByText(reply).waitFor();
    await thread.getByRole('button', { name: 'Close thread' }).click();
    await composer(a.page).waitFor();
  }
});

async function openSettings(page) {
  await page.getByRole('button', { name: /^Account menu for/ }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('tab', { name: 'Notifications' }).click();
}

async function setStatus(page, label) {
  await page.getByRole('button', { name: /^Account menu for/ }).click();
  await page.getByRole('menuitem', { name: `Set status: ${label}` }).click();
}

/** Whether the tab's icon shows the mention dot: its top-right pixel is red. */
async function iconHasRedDot(page) {
  return page.evaluate(async () => {
    const href = document.querySelector('link[rel="icon"]')?.href;
    if (!href) return false;
    const img = new Image();
    img.src = href;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const [r, g, bl] = ctx.getImageData(Math.round(img.width * 0.75), Math.round(img.height * 0.25), 1, 1).data;
    return r > 180 && g < 120 && bl < 120;
  });
}
