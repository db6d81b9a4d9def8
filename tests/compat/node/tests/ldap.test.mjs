// AD/LDAP sign-in through Mattermost's own Client4 (`login(id, password, '', ldapOnly)` sends
// `ldap_only: "true"`). run.sh starts a slapd with one person and points the server at it
// when slapd is installed, and says so in UTMOST_LDAP_LOGIN ("uid:password").

import test from 'node:test';
import assert from 'node:assert/strict';
import { newClient, expectError } from '../helpers.mjs';

const login = process.env.UTMOST_LDAP_LOGIN;
const skip = login ? false : 'no directory: slapd is not installed (UTMOST_LDAP_LOGIN unset)';
const [uid, password] = (login ?? ':').split(':');

test('an AD/LDAP user signs in with ldap_only and the account comes from the directory', { skip }, async () => {
    const client = newClient();
    const user = await client.login(uid, password, '', true);
    assert.equal(user.username, uid);
    assert.equal(user.auth_service, 'ldap');
    assert.equal(user.email, `${uid}@example.com`);
    assert.equal(user.first_name, 'Compat');
    const me = await client.getMe();
    assert.equal(me.id, user.id);

    // The same account on the next sign-in; a wrong password has the directory's error id.
    const again = await newClient().login(uid, password, '', true);
    assert.equal(again.id, user.id);
    await expectError(
        newClient().login(uid, 'not-the-password', '', true),
        401,
        'ent.ldap.do_login.invalid_password.app_error',
    );
});
