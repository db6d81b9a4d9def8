// A real SAML 2.0 IdP for the browser tests: SimpleSAMLphp (Debian's package, which .ci/run
// installs) served by `php -S` on a free port, with its own configuration, users and signing
// key pair in a temporary directory. The same setup as the Rust tests' testkit::saml.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WWW = '/usr/share/simplesamlphp/www';
export const SP_ENTITY_ID = 'utmost-e2e-sp';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const php = (text) => `'${String(text).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** Starts the IdP with `users` ([{ username, password, email, givenName, sn }]). */
export async function startIdp(users) {
  const dir = mkdtempSync(join(tmpdir(), 'utmost-e2e-saml-'));
  for (const sub of ['config', 'cert', 'log', 'data', 'tmp', 'metadata', 'sessions']) {
    mkdirSync(join(dir, sub));
  }
  execFileSync('openssl', ['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=e2e-idp', '-keyout', join(dir, 'cert/idp.key'), '-out', join(dir, 'cert/idp.crt')],
  { stdio: 'ignore' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sub = (name) => php(join(dir, name) + '/');
  writeFileSync(join(dir, 'config/config.php'), `<?php
require '/etc/simplesamlphp/config.php';
$config['baseurlpath'] = ${php(url + '/')};
$config['certdir'] = ${sub('cert')};
$config['loggingdir'] = ${sub('log')};
$config['datadir'] = ${sub('data')};
$config['tempdir'] = ${sub('tmp')};
$config['metadata.sources'] = [['type' => 'flatfile', 'directory' => ${sub('metadata')}]];
$config['secretsalt'] = 'utmost-e2e-salt';
$config['auth.adminpassword'] = 'utmost-e2e-admin';
$config['enable.saml20-idp'] = true;
$config['module.enable'] = ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true];
$config['logging.handler'] = 'file';
$config['session.cookie.secure'] = false;
$config['session.cookie.samesite'] = null;
$config['store.type'] = 'phpsession';
`);
  const entries = users.map((u) => `        ${php(`${u.username}:${u.password}`)} => ['uid' => [${php(u.username)}], `
    + `'email' => [${php(u.email)}], 'givenName' => [${php(u.givenName)}], 'sn' => [${php(u.sn)}]],`);
  writeFileSync(join(dir, 'config/authsources.php'), `<?php
$config = [
    'admin' => ['core:AdminPassword'],
    'users' => [
        'exampleauth:UserPass',
${entries.join('\n')}
    ],
];
`);
  writeFileSync(join(dir, 'metadata/saml20-idp-hosted.php'), `<?php
$metadata['__DYNAMIC:1__'] = ['host' => '__DEFAULT__', 'privatekey' => 'idp.key', 'certificate' => 'idp.crt', 'auth' => 'users'];
`);
  const log = join(dir, 'php.log');
  const child = spawn('php', ['-d', `session.save_path=${join(dir, 'sessions')}`, '-S', `127.0.0.1:${port}`, '-t', WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config') },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`${url}/saml2/idp/metadata.php`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`SimpleSAMLphp did not start (${log})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    entityId: `${url}/saml2/idp/metadata.php`,
    ssoUrl: `${url}/saml2/idp/SSOService.php`,
    certificate: readFileSync(join(dir, 'cert/idp.crt'), 'utf8'),
    /** The server's settings for this IdP, as MM_SAMLSETTINGS_* variables. */
    serverEnv() {
      return {
        MM_SAMLSETTINGS_ENABLE: 'true',
        MM_SAMLSETTINGS_VERIFY: 'true',
        MM_SAMLSETTINGS_ENCRYPT: 'false',
        MM_SAMLSETTINGS_IDPURL: this.ssoUrl,
        MM_SAMLSETTINGS_IDPDESCRIPTORURL: this.entityId,
        MM_SAMLSETTINGS_SERVICEPROVIDERIDENTIFIER: SP_ENTITY_ID,
        MM_SAMLSETTINGS_IDATTRIBUTE: 'uid',
        MM_SAMLSETTINGS_USERNAMEATTRIBUTE: 'uid',
        MM_SAMLSETTINGS_EMAILATTRIBUTE: 'email',
        MM_SAMLSETTINGS_FIRSTNAMEATTRIBUTE: 'givenName',
        MM_SAMLSETTINGS_LASTNAMEATTRIBUTE: 'sn',
      };
    },
    /** Tells the IdP where the server's assertion consumer service is. */
    registerSp(acsUrl) {
      writeFileSync(join(dir, 'metadata/saml20-sp-remote.php'), `<?php
$metadata[${php(SP_ENTITY_ID)}] = [
    'AssertionConsumerService' => ${php(acsUrl)},
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'simplesaml.nameidattribute' => 'email',
    'sign.response' => true,
    'sign.assertion' => true,
];
`);
    },
    async dispose() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
