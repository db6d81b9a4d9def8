// The System Console against a real server: alice (the first account, a system admin) changes
// the site name and the announcement banner, which take effect for everyone (the client
// config, bob's chat view), sees a setting an MM_* variable sets locked and the server's
// validation message beside the form, and makes a channel read-only with a channel scheme
// built in the permissions editor: bob's composer disappears there.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { api, apiLogin } from '../lib/api.mjs';
import { composer, logIn, openChannel, openPerson, screenshot, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

describe('the system console', () => {
  let server;
  let browser;
  let a;
  let b;
  let adminToken;
  const pageErrors = [];

  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

  before(async () => {
    server = await startServer({ env: { MM_LOGSETTINGS_ENABLEFILE: 'true' } });
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);
    a.page.on('pageerror', (e) => pageErrors.push(e.message));

    await api(server, 'POST', '/users', alice);
    adminToken = await apiLogin(server, alice);
    const bobUser = (await api(server, 'POST', '/users', bob, adminToken)).body;
    const team = (await api(server, 'POST', '/teams', { name: 'console-team', display_name: 'Console Team', type: 'O' }, adminToken)).body;
    await api(server, 'POST', `/teams/${team.id}/members`, { team_id: team.id, user_id: bobUser.id }, adminToken);
    const channel = (await api(server, 'POST', '/channels', { team_id: team.id, name: 'announcements', display_name: 'Announcements', type: 'O' }, adminToken)).body;
    await api(server, 'POST', `/channels/${channel.id}/members`, { user_id: bobUser.id }, adminToken);

    await logIn(a.page, alice);
    await a.page.waitForURL('**/console-team/channels/town-square');
    await logIn(b.page, bob);
    await b.page.waitForURL('**/console-team/channels/town-square');
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('a setting an MM_ variable sets is locked, and the server refuses a bad value beside the form', async () => {
    await a.page.goto('/admin_console/site_config/customization');
    const form = a.page.getByRole('form', { name: 'Customization' });
    const siteUrl = form.getByLabel('Site URL', { exact: true });
    await siteUrl.waitFor();
    assert.equal(await siteUrl.isDisabled(), true, 'the e2e server sets MM_SERVICESETTINGS_SITEURL');
    assert.equal(await siteUrl.inputValue(), server.url);
    await form.getByText('Locked: set by the MM_SERVICESETTINGS_SITEURL environment variable').waitFor();

    await form.getByLabel('Site name', { exact: true }).fill('x'.repeat(31));
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /model\.config\.is_valid\.sitename_length\.app_error/);
    await screenshot(a.page, 'console-validation');
  });

  test('a new site name reaches the client configuration', async () => {
    const form = a.page.getByRole('form', { name: 'Customization' });
    await form.getByLabel('Site name', { exact: true }).fill('Acme Chat');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Settings saved.').waitFor();
    assert.equal(await form.getByRole('alert').count(), 0);
    const client = await (await fetch(`${server.url}/api/v4/config/client?format=old`)).json();
    assert.equal(client.SiteName, 'Acme Chat');
    // Saved: the form has nothing left to save.
    assert.equal(await form.getByRole('button', { name: 'Save' }).isDisabled(), true);
  });

  test("the announcement banner shows in bob's chat view as soon as it is saved", async () => {
    await a.page.getByRole('navigation', { name: 'System console' }).getByRole('link', { name: 'Announcement banner' }).click();
    const form = a.page.getByRole('form', { name: 'Announcement banner' });
    await form.getByLabel('Enable announcement banner').check();
    await form.getByLabel('Banner text', { exact: true }).fill('Maintenance tonight at 22:00 UTC');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Settings saved.').waitFor();

    const banner = b.page.getByRole('region', { name: 'Announcement' });
    await banner.getByText('Maintenance tonight at 22:00 UTC').waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(b.page, 'console-announcement-banner');
    // And after a reload, from the client configuration.
    await b.page.reload();
    await banner.getByText('Maintenance tonight at 22:00 UTC').waitFor();
  });

  test('a channel scheme without create_post makes the channel read-only for bob', async () => {
    await a.page.goto('/admin_console/user_management/permissions');
    const create = a.page.getByRole('form', { name: 'Create a scheme' });
    await create.getByLabel('Scheme name').fill('Read only');
    await create.getByLabel('Scheme description').fill('Members read, admins post');
    await create.getByLabel('Scheme scope').selectOption('channel');
    await create.getByRole('button', { name: 'Create scheme' }).click();
    await a.page.getByRole('heading', { name: 'Read only (channel scheme)' }).waitFor();

    const createPosts = a.page.getByLabel('Create posts for Channel members', { exact: true });
    assert.equal(await createPosts.isChecked(), true, 'a new scheme starts from the built-in roles');
    await createPosts.uncheck();
    await a.page.getByRole('button', { name: 'Save permissions' }).click();
    await a.page.getByRole('status').getByText('Permissions saved.').waitFor();

    const assign = a.page.getByRole('form', { name: 'Assign a channel' });
    await assign.getByLabel('Channel to assign').selectOption({ label: 'Announcements (Console Team)' });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await a.page.getByRole('list', { name: 'Channels using this scheme' }).getByText('Announcements').waitFor();
    await screenshot(a.page, 'console-channel-scheme');

    // The scheme is saved: a reload shows the channel members' role without create_post.
    await a.page.reload();
    assert.equal(await a.page.getByLabel('Create posts for Channel members', { exact: true }).isChecked(), false);

    await openChannel(b.page, 'Announcements');
    await b.page.getByRole('note').getByText('This channel is read-only.').waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await composer(b.page).count(), 0, "bob's composer is gone");
    await screenshot(b.page, 'console-read-only-channel');
    // Town Square, outside the scheme, still takes his posts.
    await openChannel(b.page, 'Town Square');
    await composer(b.page).waitFor();
  });

  test('users: search, role change and session revocation', async () => {
    await a.page.goto('/admin_console/user_management/users');
    await a.page.getByLabel('Search users').fill('bob');
    const row = a.page.getByRole('row').filter({ hasText: '@bob' });
    await row.waitFor();
    // The whole list shows bob too: the search's answer is the list without alice.
    await a.page.getByRole('row').filter({ hasText: '@alice' }).waitFor({ state: 'detached' });
    await row.getByLabel('Role of bob').selectOption({ label: 'Read-only admin' });
    await a.page.getByRole('status').getByText("@bob's role changed.").waitFor();
    const bobUser = (await api(server, 'GET', '/users/username/bob', undefined, await apiLogin(server, alice))).body;
    assert.equal(bobUser.roles, 'system_user system_read_only_admin');
    await row.getByRole('button', { name: 'Revoke sessions' }).click();
    await a.page.getByRole('status').getByText("@bob's sessions revoked.").waitFor();
  });

  test('every console page opens', async () => {
    const nav = a.page.getByRole('navigation', { name: 'System console' });
    const links = await nav.getByRole('link').all();
    const labels = [];
    for (const link of links) labels.push(await link.innerText());
    for (const label of labels.filter((l) => !l.includes('Back to chat'))) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await a.page.locator('.admin-main h2').first().waitFor();
      // A page whose endpoint this server lacks (GET /logs, analytics) says so in an alert.
    }
    assert.deepEqual(pageErrors, []);
  });

  test("the analytics page shows the server's own totals", async () => {
    const standard = (await api(server, 'GET', '/analytics/old?name=standard', undefined, adminToken)).body;
    const posts = standard.find((row) => row.name === 'post_count').value;
    assert.ok(posts > 0, 'joining the team left system messages');
    await a.page.goto('/admin_console/reporting/system_analytics');
    const figures = a.page.locator('.console-figures');
    await figures.getByText('Total posts').waitFor();
    assert.match(await figures.innerText(), new RegExp(`Total posts\\s*${posts}(\\D|$)`));
  });

  test("the analytics page draws Mattermost's answer shapes as figures and charts", async () => {
    // Mattermost's shapes, answered in the browser: standard is [{name, value}], the *_day
    // lists [{name: 'YYYY-MM-DD', value}], newest first.
    const answers = {
      standard: [{ name: 'unique_user_count', value: 2 }, { name: 'post_count', value: 42 }, { name: 'team_count', value: 1 }],
      post_counts_day: [{ name: '2026-12-07', value: 30 }, { name: '2026-12-06', value: 12 }, { name: '2026-12-05', value: 0 }],
      user_counts_with_posts_day: [{ name: '2026-12-07', value: 2 }, { name: '2026-12-06', value: 1 }, { name: '2026-12-05', value: 0 }],
    };
    await a.page.route('**/api/v4/analytics/old?*', (route) => {
      const name = new URL(route.request().url()).searchParams.get('name');
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answers[name] ?? []) });
    });
    try {
      await a.page.goto('/admin_console/reporting/system_analytics');
      await a.page.getByRole('heading', { name: 'Site statistics' }).waitFor();
      const figures = a.page.locator('.console-figures');
      await figures.getByText('Total posts').waitFor();
      assert.match(await figures.innerText(), /Total active users\s*2/);
      const posts = a.page.getByRole('img', { name: 'Total posts per day, 2026-12-05 to 2026-12-07' });
      await posts.waitFor();
      assert.equal(await posts.locator('rect.chart-bar').count(), 3);
      const heights = await posts.locator('rect.chart-bar').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
      assert.ok(heights[0] === 0 && heights[1] < heights[2], `bars oldest first, scaled: ${heights}`);
      const users = a.page.getByRole('img', { name: 'Active users with posts per day, 2026-12-05 to 2026-12-07' });
      assert.match(await users.locator('path.chart-line').getAttribute('d'), /^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
      await screenshot(a.page, 'console-analytics');
    } finally {
      await a.page.unroute('**/api/v4/analytics/old?*');
    }
  });

  test('the rollout checklist runs the server\'s checks, failures first, with their fixes', async () => {
    await a.page.goto('/admin_console/reporting/rollout_checklist');
    await a.page.getByRole('heading', { name: 'Rollout checklist' }).waitFor();
    const checks = a.page.getByRole('table', { name: 'Checks' });
    // This server was never backed up: a failure, shown before every warning and pass.
    const backups = checks.getByRole('row').filter({ hasText: 'Backups' });
    await backups.waitFor();
    assert.match(await backups.innerText(), /Fail\s+Backups\s+no backup of this database was ever taken\s+Take one with `utmost backup <dir>`/);
    const verdicts = await checks.locator('.doctor-verdict').allInnerTexts();
    const rank = { Fail: 0, Warning: 1, Pass: 2 };
    assert.deepEqual(verdicts, [...verdicts].sort((x, y) => rank[x] - rank[y]), `worst first: ${verdicts}`);
    assert.ok(verdicts.includes('Pass'), `${verdicts}`);
    const summary = await a.page.getByRole('status').filter({ hasText: 'failed' }).innerText();
    const failed = verdicts.filter((v) => v === 'Fail').length;
    assert.match(summary, new RegExp(`^${failed} failed, \\d+ with warnings, \\d+ passed$`));
    await screenshot(a.page, 'console-rollout-checklist');
  });

  test("the server logs page shows the server's own log lines", async () => {
    await a.page.goto('/admin_console/reporting/server_logs');
    const lines = a.page.getByLabel('Log lines', { exact: true });
    await lines.waitFor();
    // The server logs its start; the page reads the file through GET /logs.
    assert.match(await lines.innerText(), /listening|started|serving/i);
    await a.page.getByLabel('Filter log lines').fill('no line says this');
    assert.equal(await lines.innerText(), 'No log lines.');
  });
});
