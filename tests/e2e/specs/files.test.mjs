// Files and link previews in the web client against a real server: a picture dragged in and
// previewed, the lightbox, a pasted screenshot, a document's card and its download, an upload
// cancelled halfway, a file over the limit, and a link preview card (through the image proxy)
// for a page of a real web site.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { png, startSite } from '../lib/files.mjs';
import { composer, messages, openPerson, screenshot, send, stepWithScreens, sidebarLink, signUp, LIVE_TIMEOUT } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };
const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };

const MAX_FILE_SIZE = 1024 * 1024;
const red = { name: 'red.png', mimeType: 'image/png', buffer: png(640, 480, [210, 40, 40]) };
const blue = { name: 'blue.png', mimeType: 'image/png', buffer: png(300, 200, [40, 70, 210]) };
const notes = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Launch notes\n'.repeat(100)) };

/** The message of the log whose text includes `text`. */
const post = (page, text) => messages(page).getByRole('article').filter({ hasText: text });

/** Drops `files` on `target` as a browser does: dragenter, dragover, then drop, with the files in a DataTransfer. */
async function dropFiles(page, target, files) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
    return dt;
  }, files.map((f) => ({ name: f.name, mimeType: f.mimeType, base64: f.buffer.toString('base64') })));
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await page.getByText('Drop files to attach them').waitFor();
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Waits until the image has been fetched and decoded (a broken one has no natural width). */
async function decoded(image) {
  await image.page().waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
}

/** Waits until the element is wholly inside the message list's visible area: the list kept the newest message in view. */
async function inView(element) {
  await element.page().waitForFunction((el) => {
    const [box, list] = [el.getBoundingClientRect(), document.getElementById('post-list').getBoundingClientRect()];
    return box.height > 0 && box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
  }, await element.elementHandle());
}

describe('files and link previews', () => {
  let server;
  let site;
  let browser;
  let a;
  let b;

  const test = stepWithScreens(nodeTest, () => ({ alice: a, bob: b }));

  before(async () => {
    const pages = {};
    site = await startSite(pages);
    pages['/launch'] = {
      type: 'text/html; charset=utf-8',
      body: `<!doctype html><html><head><title>Launch</title>
        <meta property="og:site_name" content="Rocket Docs">
        <meta property="og:title" content="Launch checklist">
        <meta property="og:description" content="Everything to check before lift-off.">
        <meta property="og:image" content="${site.url}/cover.png">
        </head><body>Launch checklist</body></html>`,
    };
    pages['/cover.png'] = { type: 'image/png', body: png(400, 200, [30, 160, 90]) };
    server = await startServer({
      env: {
        MM_FILESETTINGS_MAXFILESIZE: String(MAX_FILE_SIZE),
        MM_SERVICESETTINGS_ENABLELINKPREVIEWS: 'true',
        // The test site is on 127.0.0.1, which the server refuses to fetch unless told otherwise.
        MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS: '127.0.0.1',
        MM_IMAGEPROXYSETTINGS_ENABLE: 'true',
        MM_IMAGEPROXYSETTINGS_IMAGEPROXYTYPE: 'local',
      },
    });
    browser = await launch();
    a = await openPerson(browser, server.url);
    b = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
    await site?.close();
  });

  test('alice and bob meet in Town Square', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    await a.page.getByRole('button', { name: 'Create a team' }).click();
    await a.page.getByLabel('Team name').fill('Rocket Team');
    await a.page.getByRole('button', { name: 'Create team' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
    await signUp(b.page, bob);
    await b.page.getByRole('heading', { name: 'Choose a team' }).waitFor();
    await b.page.getByRole('button', { name: 'Join' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Town Square' }).waitFor();
  });

  test('pictures dragged onto the channel are previewed, sent, and arrive live for bob', async () => {
    await dropFiles(a.page, messages(a.page), [red, blue]);
    const attached = a.page.getByRole('list', { name: 'Attached files' });
    await attached.getByRole('img', { name: 'Preview of red.png' }).waitFor();
    await attached.getByRole('img', { name: 'Preview of blue.png' }).waitFor();
    await attached.getByRole('button', { name: 'Remove blue.png' }).waitFor();
    await attached.getByRole('button', { name: 'Remove red.png' }).waitFor();
    assert.equal(await attached.getByRole('alert').count(), 0, 'both uploads succeeded');
    await screenshot(a.page, 'files-attached');
    await send(a.page, 'Two colours for the logo');
    await attached.waitFor({ state: 'detached' });

    for (const page of [a.page, b.page]) {
      const pictures = post(page, 'Two colours for the logo').getByRole('list', { name: 'Pictures' });
      await pictures.getByRole('button', { name: 'Open red.png' }).waitFor({ timeout: LIVE_TIMEOUT });
      const thumbnail = pictures.getByRole('img', { name: 'blue.png' });
      await decoded(thumbnail);
      // The server's thumbnail, or the original when it made none (as Mattermost's client does).
      assert.match(await thumbnail.getAttribute('src'), /\/api\/v4\/files\/[a-z0-9]{26}(\/thumbnail)?$/);
      await inView(pictures);
    }
  });

  test('the lightbox shows a picture large, walks to the next and offers the original', async () => {
    // The lightbox follows the message's order of pictures, which is the server's.
    const buttons = post(a.page, 'Two colours for the logo').getByRole('list', { name: 'Pictures' }).getByRole('button');
    const [first, second] = await buttons.evaluateAll((all) => all.map((b) => b.getAttribute('aria-label').replace(/^Open /, '')));
    assert.deepEqual([first, second].sort(), ['blue.png', 'red.png']);
    await buttons.first().click();
    const lightbox = a.page.getByRole('dialog', { name: first });
    await lightbox.getByText('1 of 2').waitFor();
    const large = lightbox.getByRole('img', { name: first });
    await decoded(large);
    assert.match(await large.getAttribute('src'), /\/api\/v4\/files\/[a-z0-9]{26}(\/preview)?$/);
    await screenshot(a.page, 'files-lightbox');

    await lightbox.getByRole('button', { name: 'Next picture' }).click();
    const next = a.page.getByRole('dialog', { name: second });
    await next.getByText('2 of 2').waitFor();
    const download = a.page.waitForEvent('download');
    await next.getByRole('link', { name: 'Download' }).click();
    assert.equal((await download).suggestedFilename(), second);

    await a.page.keyboard.press('ArrowRight');
    await a.page.getByRole('dialog', { name: first }).getByText('1 of 2').waitFor();
    await a.page.keyboard.press('ArrowLeft');
    await a.page.getByRole('dialog', { name: second }).waitFor();
    await a.page.keyboard.press('Escape');
    await a.page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('a file dropped on an open thread is attached to the reply, not to the channel\'s message', async () => {
    const bobsRoot = post(b.page, 'Two colours for the logo');
    await bobsRoot.hover();
    await bobsRoot.getByRole('button', { name: 'Reply' }).click();
    const thread = b.page.getByRole('complementary', { name: 'Thread' });
    await dropFiles(b.page, thread.getByRole('log', { name: 'Thread messages' }), [{ ...notes, name: 'palette.txt' }]);
    await thread.getByRole('button', { name: 'Remove palette.txt' }).waitFor();
    assert.equal(await b.page.locator('main').getByRole('list', { name: 'Attached files' }).count(), 0, 'nothing is attached in the channel');
    await thread.getByRole('combobox', { name: 'Reply to the thread' }).press('Enter');
    await thread.getByRole('group', { name: 'palette.txt' }).waitFor();
    await b.page.getByRole('button', { name: 'Close thread' }).click();
    // The reply updates alice's thread (its root post comes along); the root keeps its pictures.
    await sidebarLink(a.page, 'Threads, 1 unread').waitFor({ timeout: LIVE_TIMEOUT });
    const root = post(a.page, 'Two colours for the logo');
    await root.getByRole('button', { name: '1 reply' }).waitFor();
    await root.getByRole('button', { name: 'Open red.png' }).waitFor();
  });

  test('a pasted screenshot is attached under a name with the time of the paste', async () => {
    await composer(a.page).focus();
    await a.page.evaluate((base64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, png(200, 120, [240, 200, 20]).toString('base64'));
    const chip = a.page.getByRole('list', { name: 'Attached files' }).getByRole('listitem', { name: /^Image Pasted at \d{4}-\d+-\d+ \d+-\d\d\.png$/ });
    await chip.getByRole('button', { name: /^Remove / }).waitFor();
    await composer(a.page).press('Enter');
    const pictures = messages(a.page).getByRole('list', { name: 'Pictures' }).last();
    await pictures.getByRole('button', { name: /^Open Image Pasted at / }).waitFor();
    await messages(b.page).getByRole('button', { name: /^Open Image Pasted at / }).waitFor({ timeout: LIVE_TIMEOUT });
  });

  test('a document is shown as a card with its name, type and size, and downloads', async () => {
    await a.page.getByLabel('Files to attach').setInputFiles(notes);
    await a.page.getByRole('listitem', { name: 'notes.txt' }).getByRole('button', { name: 'Remove notes.txt' }).waitFor();
    await send(a.page, 'The notes, as promised');
    const card = post(b.page, 'The notes, as promised').getByRole('group', { name: 'notes.txt' });
    await card.waitFor({ timeout: LIVE_TIMEOUT });
    await card.getByText('TXT · 1.3 KB').waitFor();
    await screenshot(b.page, 'files-card');
    const download = b.page.waitForEvent('download');
    await card.getByRole('link', { name: 'Download notes.txt' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'notes.txt');
    const chunks = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), notes.buffer);
  });

  test('an upload in progress shows its progress and can be cancelled', async () => {
    // A slow link: 64 KB/s up, so a 768 KB upload takes seconds.
    const cdp = await a.context.newCDPSession(a.page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    const aborted = a.page.waitForEvent('requestfailed', (r) => r.url().endsWith('/api/v4/files'));
    try {
      await a.page.getByLabel('Files to attach').setInputFiles({ name: 'video.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(768 * 1024, 7) });
      const progress = a.page.getByRole('progressbar', { name: 'Uploading video.bin' });
      await a.page.waitForFunction((bar) => Number(bar.value) > 0 && Number(bar.value) < 100, await progress.elementHandle());
      assert.equal(await a.page.getByRole('button', { name: 'Send' }).isDisabled(), true, 'nothing is sent while a file is on its way');
      await screenshot(a.page, 'files-uploading');
      await a.page.getByRole('button', { name: 'Cancel the upload of video.bin' }).click();
      await a.page.getByRole('list', { name: 'Attached files' }).waitFor({ state: 'detached' });
      assert.match((await aborted).failure().errorText, /ABORTED/);
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await cdp.detach();
    }
  });

  test('a file over the server\'s limit is refused without being sent', async () => {
    let sent = false;
    const watch = (r) => { if (r.url().endsWith('/api/v4/files')) sent = true; };
    a.page.on('request', watch);
    await a.page.getByLabel('Files to attach').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_FILE_SIZE + 1) });
    const chip = a.page.getByRole('listitem', { name: 'huge.bin' });
    await chip.getByRole('alert').filter({ hasText: 'Files over 1.0 MB cannot be uploaded.' }).waitFor();
    a.page.off('request', watch);
    assert.equal(sent, false);
    await chip.getByRole('button', { name: 'Remove huge.bin' }).click();
    await chip.waitFor({ state: 'detached' });
  });

  test('a link to a page gets a preview card, its picture through the image proxy', async () => {
    await send(a.page, `Read ${site.url}/launch before Friday`);
    for (const page of [a.page, b.page]) {
      const card = post(page, 'before Friday').getByRole('complementary', { name: 'Link preview: Launch checklist' });
      await card.waitFor({ timeout: LIVE_TIMEOUT });
      await card.getByText('Rocket Docs').waitFor();
      await card.getByText('Everything to check before lift-off.').waitFor();
      assert.equal(await card.getByRole('link', { name: 'Launch checklist' }).getAttribute('href'), `${site.url}/launch`);
      const image = card.locator('img');
      assert.equal(await image.getAttribute('src'), `${server.url}/api/v4/image?url=${encodeURIComponent(`${site.url}/cover.png`)}`);
      await decoded(image);
      await inView(card);
    }
    await screenshot(b.page, 'files-link-preview');
  });

  test('a link to a picture shows the picture, through the image proxy', async () => {
    await send(a.page, `The new cover: ${site.url}/cover.png`);
    const host = new URL(site.url).host;
    const image = post(b.page, 'The new cover').getByRole('img', { name: `Image from ${host}` });
    await image.waitFor({ timeout: LIVE_TIMEOUT });
    assert.equal(await image.getAttribute('src'), `${server.url}/api/v4/image?url=${encodeURIComponent(`${site.url}/cover.png`)}`);
    await decoded(image);
    await inView(image);
  });

  test('bob turns website link previews off in his settings, and his cards go', async () => {
    await b.page.getByRole('button', { name: 'Account menu for bob' }).click();
    await b.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = b.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Display' }).click();
    await settings.getByRole('group', { name: 'Website link previews' }).getByLabel('Off').check();
    await b.page.keyboard.press('Escape');
    await post(b.page, 'before Friday').getByRole('complementary', { name: /^Link preview/ }).waitFor({ state: 'detached' });
    assert.equal(await post(a.page, 'before Friday').getByRole('complementary', { name: /^Link preview/ }).count(), 1, 'alice keeps hers');
  });
});
