// Multi-factor authentication with enforcement on: the first person signs up, is sent to the
// setup page, scans (reads) the secret, activates it with a code, and from then on logs in with
// a code. Codes are computed here from the secret (RFC 6238 with node:crypto), as an
// authenticator app would.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { launch } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { openPerson, signUp, stepWithScreens } from '../lib/people.mjs';

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/=+$/, '')) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238: HMAC-SHA-1 over the 30-second step counter, dynamic truncation, six digits. */
function totp(secret, stepsFromNow = 0) {
  const step = Math.floor(Date.now() / 30000) + stepsFromNow;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('multi-factor authentication', () => {
  let server;
  let browser;
  let a;
  let secret;
  const test = stepWithScreens(nodeTest, () => ({ alice: a }));

  before(async () => {
    server = await startServer({
      env: {
        MM_SERVICESETTINGS_ENABLEMULTIFACTORAUTHENTICATION: 'true',
        MM_SERVICESETTINGS_ENFORCEMULTIFACTORAUTHENTICATION: 'true',
        MM_SQLSETTINGS_ATRESTENCRYPTKEY: 'e2e at-rest key of at least thirty-two characters',
      },
    });
    browser = await launch();
    a = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('the code computed here is RFC 6238 (appendix B, SHA-1)', () => {
    const realNow = Date.now;
    Date.now = () => 59_000;
    try {
      // "12345678901234567890" in base32; the RFC's 8-digit code at T = 59 s is 94287082.
      assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), '287082');
    } finally {
      Date.now = realNow;
    }
  });

  test('after signing up, an enforced user is sent to set MFA up and enrols with a code', async () => {
    await signUp(a.page, alice);
    await a.page.getByRole('heading', { name: 'Multi-factor authentication setup' }).waitFor();
    assert.equal(new URL(a.page.url()).pathname, '/mfa/setup');
    await a.page.getByRole('img', { name: 'MFA QR code' }).waitFor();
    secret = (await a.page.getByLabel('MFA secret').textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);

    await a.page.getByLabel('MFA code').fill('000000' === totp(secret) ? '111111' : '000000');
    await a.page.getByRole('button', { name: 'Activate MFA' }).click();
    await a.page.getByRole('alert').filter({ hasText: 'Invalid MFA token' }).waitFor();

    await a.page.getByLabel('MFA code').fill(totp(secret));
    await a.page.getByRole('button', { name: 'Activate MFA' }).click();
    await a.page.getByRole('button', { name: 'Create a team' }).waitFor();
  });

  test('logging in again asks for a code, refuses a wrong one and accepts a fresh one', async () => {
    await a.context.clearCookies();
    await a.page.goto('/login');
    await a.page.getByLabel('Email or username').fill(alice.username);
    await a.page.getByLabel('Password').fill(alice.password);
    await a.page.getByRole('button', { name: 'Log in' }).click();
    await a.page.getByRole('heading', { name: 'Enter your MFA code' }).waitFor();

    // The code used for the activation was spent: it is refused.
    await a.page.getByLabel('MFA code').fill(totp(secret));
    await a.page.getByRole('button', { name: 'Log in' }).click();
    await a.page.getByRole('alert').filter({ hasText: 'Invalid MFA token' }).waitFor();

    // The next step's code is within the accepted window.
    await a.page.getByLabel('MFA code').fill(totp(secret, 1));
    await a.page.getByRole('button', { name: 'Log in' }).click();
    await a.page.getByRole('button', { name: 'Create a team' }).waitFor();
    const me = await a.page.evaluate(async () => (await fetch('/api/v4/users/me')).json());
    assert.equal(me.mfa_active, true);
  });
});

describe('multi-factor authentication in Settings → Security', () => {
  let server;
  let browser;
  let b;
  const bob = { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' };
  const test = stepWithScreens(nodeTest, () => ({ bob: b }));

  before(async () => {
    server = await startServer({
      env: {
        MM_SERVICESETTINGS_ENABLEMULTIFACTORAUTHENTICATION: 'true',
        MM_SQLSETTINGS_ATRESTENCRYPTKEY: 'e2e at-rest key of at least thirty-two characters',
      },
    });
    browser = await launch();
    b = await openPerson(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test('a user adds MFA from the settings, then removes it', async () => {
    await signUp(b.page, bob);
    await b.page.getByRole('button', { name: 'Create a team' }).click();
    await b.page.getByLabel('Team name').fill('Rocket Team');
    await b.page.getByRole('button', { name: 'Create team' }).click();
    await b.page.getByRole('button', { name: 'Account menu for bob' }).click();
    await b.page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = b.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Security' }).click();
    await settings.getByText('Multi-factor authentication is off.').waitFor();
    await settings.getByRole('button', { name: 'Add MFA' }).click();
    await settings.getByRole('img', { name: 'MFA QR code' }).waitFor();
    const secret = (await settings.getByLabel('MFA secret').textContent()).trim();
    await settings.getByLabel('MFA code').fill(totp(secret));
    await settings.getByRole('button', { name: 'Activate MFA' }).click();
    await settings.getByText(/Multi-factor authentication is on/).waitFor();
    await settings.getByRole('button', { name: 'Remove MFA' }).click();
    await settings.getByText('Multi-factor authentication is off.').waitFor();
    const me = await b.page.evaluate(async () => (await fetch('/api/v4/users/me')).json());
    assert.equal(me.mfa_active, false);
  });
});
