// Steps a person takes in the web client, written against what the screen shows (roles and
// accessible names), not against CSS classes.
import { mkdirSync } from 'node:fs';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

export const LIVE_TIMEOUT = 10000;

export async function openPerson(browser, base, { viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, colorScheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(LIVE_TIMEOUT);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return { context, page };
}

export async function signUp(page, { email, username, password }) {
  await page.goto('/signup_user_complete');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function logIn(page, { username, password }) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export function composer(page) {
  return page.locator('main').getByRole('combobox').first();
}

export async function send(page, text) {
  const box = composer(page);
  await box.fill(text);
  await box.press('Enter');
}

export function messages(page) {
  return page.getByRole('log', { name: 'Messages' });
}

export function sidebarLink(page, name) {
  return page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name });
}

export async function openChannel(page, name) {
  await sidebarLink(page, name).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

/**
 * A test step of `test` (node:test's) that, when it fails, saves each person's screen under
 * artifacts/ to show why. `people()` gives the pages' owners by name when the step runs.
 */
export function stepWithScreens(test, people) {
  return (name, fn) =>
    test(name, async () => {
      try {
        await fn();
      } catch (e) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
        for (const [who, person] of Object.entries(people())) {
          await screenshot(person.page, `failed-${slug}-${who}`).catch(() => undefined);
        }
        throw e;
      }
    });
}
