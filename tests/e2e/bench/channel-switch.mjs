// Benchmark (not a test): how long headless Chromium takes to show a channel with 1,000 posts
// after a click in the sidebar, from the click to the frame that shows the newest post.
//   cold: the channel was never opened (includes fetching its newest page from the server)
//   warm: all 1,000 posts are already loaded in the client (virtualized list render only)
// Usage: node bench/channel-switch.mjs   (UTMOST_BIN selects the binary; release by default)
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { openPerson, signUp } from '../lib/people.mjs';

const POSTS = Number(process.env.BENCH_POSTS || 1000);
const ROUNDS = 15;

const server = await startServer();
const browser = await launch();
try {
  const { page } = await openPerson(browser, server.url);
  await signUp(page, { email: 'bench@example.com', username: 'bench', password: 'bench-password-1' });
  await page.getByRole('button', { name: 'Create a team' }).click();
  await page.getByLabel('Team name').fill('Bench');
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.waitForURL('**/bench/channels/town-square');

  // Seed through the API with the browser's own session (cookie + CSRF header).
  console.error(`seeding ${POSTS} posts…`);
  const channelId = await page.evaluate(async (count) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
    const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf };
    const teams = await (await fetch('/api/v4/users/me/teams', { headers })).json();
    const channel = await (await fetch('/api/v4/channels', {
      method: 'POST', headers,
      body: JSON.stringify({ team_id: teams[0].id, name: 'big-channel', display_name: 'Big Channel', type: 'O' }),
    })).json();
    const post = (n) => fetch('/api/v4/posts', {
      method: 'POST', headers,
      body: JSON.stringify({ channel_id: channel.id, message: `Message ${n}: **bold**, \`code\`, a [link](https://example.com) and some words to wrap the line a little.` }),
    });
    // 20 at a time, except the last one, posted alone so that it is surely the newest.
    for (let i = 0; i < count - 1; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, count - 1 - i) }, (_, j) => post(i + j)));
    }
    await post(count - 1);
    return channel.id;
  }, POSTS);
  console.error('seeded');
  await page.reload();
  await page.getByRole('link', { name: /^Big Channel/ }).waitFor();

  /** Clicks a sidebar link and resolves with ms until the newest post of the target is painted. */
  const timeSwitch = (name, lastText) =>
    page.evaluate(async ({ name, lastText }) => {
      const link = [...document.querySelectorAll('nav[aria-label="Channels"] a')].find((a) => a.getAttribute('aria-label')?.startsWith(name));
      const start = performance.now();
      link.click();
      await new Promise((resolve, reject) => {
        const check = () => {
          const posts = document.querySelectorAll('#post-list [data-post-id]');
          const last = posts[posts.length - 1];
          if (document.querySelector('#channel-title')?.textContent?.includes(name) && last?.textContent?.includes(lastText)) resolve();
          else if (performance.now() - start > 30000) reject(new Error(`${name}: newest post not shown after 30 s; last row: ${last?.textContent?.slice(0, 80)}`));
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - start;
    }, { name, lastText });

  const lastText = `Message ${POSTS - 1}:`;
  const cold = await timeSwitch('Big Channel', lastText);
  // The server's share of the cold switch: the same request for the newest page, timed alone.
  const fetchMs = await page.evaluate(async (id) => {
    const start = performance.now();
    await (await fetch(`/api/v4/channels/${id}/posts?page=0&per_page=60`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json();
    return performance.now() - start;
  }, channelId);
  console.error(`cold ${cold.toFixed(1)} ms; loading every page…`);

  // Load every page of the big channel by scrolling to the top until the start is reached.
  await page.evaluate(async () => {
    const list = document.getElementById('post-list');
    const deadline = Date.now() + 120000;
    while (!document.body.textContent.includes('This is the start of the conversation.')) {
      if (Date.now() > deadline) throw new Error('older pages did not load');
      list.scrollTop = 0;
      list.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 150));
    }
  });
  const loaded = await page.evaluate(() => document.querySelectorAll('#post-list [data-post-id]').length);

  const warm = [];
  for (let i = 0; i < ROUNDS; i++) {
    await timeSwitch('Town Square', '');
    warm.push(await timeSwitch('Big Channel', lastText));
  }
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  const p90 = warm[Math.floor(warm.length * 0.9)];
  console.log(`posts in channel: ${POSTS}; rows in the DOM after loading all of them: ${loaded} (virtualized)`);
  console.log(`cold switch (fetch newest page + render): ${cold.toFixed(1)} ms, of which GET .../posts?per_page=60 alone takes ${fetchMs.toFixed(1)} ms`);
  console.log(`warm switch, ${POSTS} posts loaded, ${ROUNDS} rounds: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms`);
  console.log(median <= 100 ? 'within the 100 ms budget' : 'OVER the 100 ms budget');
} finally {
  await browser.close();
  await server.dispose();
}
