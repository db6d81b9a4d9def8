// A real SMTP server for the browser tests: aiosmtpd (installed by .ci/run) keeping each
// message as a Maildir file, and the links found in the messages' text.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.mjs';

/** The text parts of the Maildir messages to `to`, decoded by Python's email parser. */
const DECODE = `
import email, email.policy, sys, pathlib
for path in sorted(pathlib.Path(sys.argv[1]).glob('new/*')):
    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if sys.argv[2] in m['To']:
        print(m.get_body(preferencelist=('plain',)).get_content())
`;

export async function startSmtp() {
  const dir = mkdtempSync(join(tmpdir(), 'utmost-e2e-smtp-'));
  const port = await freePort();
  const child = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'maildir')], { stdio: 'ignore' });
  const deadline = Date.now() + 15000;
  while (!(await listening(port))) {
    if (Date.now() > deadline) throw new Error('aiosmtpd did not start listening');
    await new Promise((r) => setTimeout(r, 100));
  }
  const textTo = (to) => {
    if (!readdirSync(dir).includes('maildir')) return '';
    return execFileSync('python3', ['-c', DECODE, join(dir, 'maildir'), to], { encoding: 'utf8' });
  };
  return {
    /** MM_EMAILSETTINGS_* for a server that sends here. */
    env: {
      MM_EMAILSETTINGS_SMTPSERVER: '127.0.0.1',
      MM_EMAILSETTINGS_SMTPPORT: String(port),
      MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS: 'true',
      MM_EMAILSETTINGS_FEEDBACKEMAIL: 'noreply@example.com',
    },
    /** The first link starting with `prefix` in an email to `to`, waiting for it to arrive. */
    async link(to, prefix) {
      const until = Date.now() + 15000;
      for (;;) {
        const found = textTo(to).split(/\s+/).find((word) => word.startsWith(prefix));
        if (found) return found;
        if (Date.now() > until) throw new Error(`no email to ${to} with a link to ${prefix}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    dispose() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
