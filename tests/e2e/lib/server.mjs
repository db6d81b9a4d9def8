// Runs the utmost binary on a free port over a fresh SQLite directory; can stop and start it
// again on the same port and data, as a server restart in the middle of a session.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BINARY = process.env.UTMOST_BIN || new URL('../../../target/release/utmost', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPing(url, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/v4/system/ping`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs} ms`);
}

/** `env` adds to (or overrides) the server's settings, as MM_SECTION_KEY variables. */
export async function startServer({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'utmost-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'server.log'), 'a');
  let child = null;

  async function start() {
    child = spawn(BINARY, ['serve'], {
      env: {
        ...process.env,
        MM_SERVICESETTINGS_LISTENADDRESS: `127.0.0.1:${port}`,
        MM_SERVICESETTINGS_SITEURL: url,
        MM_FILESETTINGS_DIRECTORY: join(dir, 'data') + '/',
        MM_LOGSETTINGS_FILELOCATION: join(dir, 'logs'),
        // Anyone may sign up, so the second person can create an account on the sign-up page.
        MM_TEAMSETTINGS_ENABLEOPENSERVER: 'true',
        MM_SQLSETTINGS_DRIVERNAME: 'sqlite',
        MM_SQLSETTINGS_DATASOURCE: join(dir, 'utmost.db'),
        ...env,
      },
      stdio: ['ignore', log, log],
    });
    await waitForPing(url);
  }

  async function stop() {
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    child = null;
  }

  await start();
  return {
    url,
    dir,
    stop,
    start,
    /** `more` settings (MM_SECTION_KEY) apply from this start on. */
    async restart(more = {}) {
      await stop();
      Object.assign(env, more);
      await start();
    },
    async dispose() {
      await stop();
      if (!process.env.UTMOST_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
