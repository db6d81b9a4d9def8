// Interactive messages and dialogs in the web client: an integration (a small Node HTTP
// server on loopback, which the server may reach) posts a message attachment with a button
// and a menu; alice clicks the button, the integration updates the post and opens a dialog,
// alice fills it in, the integration's field error shows, and the corrected form goes through.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { api, apiLogin } from '../lib/api.mjs';
import { messages, openPerson, screenshot, signUp, stepWithScreens, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };

/** The integration: records what it gets; `/action` opens a dialog and updates the post. */
function startIntegration(server) {
  const received = [];
  let submissions = 0;
  const http = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body || '{}');
    received.push({ path: req.url, request });
    let answer = {};
    if (req.url === '/action') {
      const own = `http://127.0.0.1:${http.address().port}`;
      await api(server, 'POST', '/actions/dialogs/open', {
        trigger_id: request.trigger_id,
        url: `${own}/submit`,
        dialog: {
          callback_id: 'deploy',
          title: 'Deploy release',
          introduction_text: 'Where should **1.2** go?',
          elements: [
            { display_name: 'Release name', name: 'name', type: 'text', min_length: 3, help_text: 'At least three letters' },
            { display_name: 'Target', name: 'target', type: 'radio', options: [{ text: 'Staging', value: 'staging' }, { text: 'Production', value: 'prod' }], default: 'staging' },
            { display_name: 'Notes', name: 'notes', type: 'textarea', optional: true },
          ],
          submit_label: 'Deploy',
          notify_on_cancel: true,
          state: 'st',
        },
      });
      answer = { update: { message: `Deploy requested by @${request.user_name}` }, ephemeral_text: 'Deploy started' };
    } else if (req.url === '/submit') {
      submissions += 1;
      answer = submissions === 1 ? { errors: { name: 'That name is taken' } } : {};
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve({ http, received, url: `http://127.0.0.1:${http.address().port}` })));
}

describe('interactive messages and dialogs', () => {
  let server;
  let browser;
  let a;
  let integration;
  let token;
  let channelId;
  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    server = await startServer({ env: { MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS: '127.0.0.1' } });
    integration = await startIntegration(server);
    browser = await launch();
    a = await openPerson(browser, server.url);
  });

  after(async () => {
    integration?.http.close();
    await browser?.close();
    await server?.dispose();
  });

  test('alice signs up and opens Town Square', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Ops');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    token = await apiLogin(server, alice);
    const teams = (await api(server, 'GET', '/users/me/teams', undefined, token)).body;
    channelId = (await api(server, 'GET', `/teams/${teams[0].id}/channels/name/town-square`, undefined, token)).body.id;
  });

  test('an attachment shows with its fields, button and menu', async () => {
    await api(server, 'POST', '/posts', {
      channel_id: channelId,
      message: 'Release ready',
      props: {
        attachments: [{
          color: 'good',
          pretext: 'From CI',
          title: 'Release 1.2',
          title_link: 'https://ci.example.com/1.2',
          text: 'All **green**',
          fields: [{ title: 'Branch', value: 'main', short: true }, { title: 'Commit', value: 'abc123', short: true }],
          footer: 'CI bot',
          actions: [
            { id: 'deploy', name: 'Deploy', style: 'primary', integration: { url: `${integration.url}/action`, context: { release: '1.2' } } },
            { id: 'env', name: 'Environment', type: 'select', options: [{ text: 'Staging', value: 'staging' }], integration: { url: `${integration.url}/menu` } },
          ],
        }],
      },
    }, token);
    const log = messages(a.page);
    await log.getByRole('link', { name: 'Release 1.2' }).waitFor({ timeout: LIVE_TIMEOUT });
    await log.getByText('From CI').waitFor();
    await log.getByText('Branch').waitFor();
    assert.equal(await log.locator('.attachment-text strong').innerText(), 'green');
    await log.getByRole('combobox', { name: 'Environment' }).waitFor();
    await screenshot(a.page, 'interactive-attachment');
  });

  test('a menu choice is sent to the integration', async () => {
    await messages(a.page).getByRole('combobox', { name: 'Environment' }).selectOption('staging');
    await waitFor(() => integration.received.find((r) => r.path === '/menu'));
    const menu = integration.received.find((r) => r.path === '/menu').request;
    assert.equal(menu.context.selected_option, 'staging');
    assert.equal(menu.user_name, 'alice');
  });

  test('clicking the button updates the post and opens the dialog', async () => {
    await messages(a.page).getByRole('button', { name: 'Deploy' }).click();
    await messages(a.page).getByText('Deploy requested by @alice').waitFor({ timeout: LIVE_TIMEOUT });
    await messages(a.page).getByText('Deploy started').waitFor({ timeout: LIVE_TIMEOUT });
    await messages(a.page).getByText('(Only visible to you)').waitFor();
    const action = integration.received.find((r) => r.path === '/action').request;
    assert.equal(action.context.release, '1.2');
    const dialog = a.page.getByRole('dialog', { name: 'Deploy release' });
    await dialog.waitFor({ timeout: LIVE_TIMEOUT });
    await dialog.getByText('At least three letters').waitFor();
    await screenshot(a.page, 'interactive-dialog');
  });

  test('the form checks lengths, then shows the integration field error, then submits', async () => {
    const dialog = a.page.getByRole('dialog', { name: 'Deploy release' });
    await dialog.getByLabel('Release name *').fill('ab');
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await dialog.getByText('Minimum input length is 3.').waitFor();
    assert.equal(integration.received.filter((r) => r.path === '/submit').length, 0, 'refused before sending');

    await dialog.getByLabel('Release name *').fill('taken');
    await dialog.getByLabel('Production').check();
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await dialog.getByText('That name is taken').waitFor({ timeout: LIVE_TIMEOUT });

    await dialog.getByLabel('Release name *').fill('orion');
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await dialog.waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    const submits = integration.received.filter((r) => r.path === '/submit').map((r) => r.request);
    assert.equal(submits.length, 2);
    assert.equal(submits[1].callback_id, 'deploy');
    assert.equal(submits[1].state, 'st');
    assert.equal(submits[1].channel_id, channelId);
    assert.equal(submits[1].cancelled, false);
    assert.deepEqual(submits[1].submission, { name: 'orion', target: 'prod' });
  });

  test('cancelling a dialog tells the integration, which asked to know', async () => {
    await messages(a.page).getByRole('button', { name: 'Deploy' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Deploy release' });
    await dialog.waitFor({ timeout: LIVE_TIMEOUT });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitFor(() => integration.received.filter((r) => r.path === '/submit').length === 3);
    const cancel = integration.received.filter((r) => r.path === '/submit')[2].request;
    assert.equal(cancel.cancelled, true);
    assert.equal(cancel.callback_id, 'deploy');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(integration.received.filter((r) => r.path === '/submit').length, 3, 'one cancellation only');
  });
});

async function waitFor(check, timeoutMs = LIVE_TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
