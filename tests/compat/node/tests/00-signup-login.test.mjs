// Sign-up (the first account becomes system admin), login, the current user.
// Runs first: the suite expects a server with no accounts yet.

import { test } from 'node:test';
import {
    assert, expectError, newClient, PASSWORD, roles, signUp, unique,
} from '../helpers.mjs';

test('first sign-up becomes system admin', async () => {
    const { client, user } = await signUp('admin');
    assert.deepEqual(roles(user), new Set(['system_user', 'system_admin']));
    assert.ok(!user.password, 'the password hash is never returned');
    assert.deepEqual(roles(await client.getMe()), new Set(['system_user', 'system_admin']));
});

test('later sign-up is a plain user and answers 201', async () => {
    const client = newClient();
    const username = unique('js');
    const { response, data: user } = await client.doFetchWithResponse(client.getUsersRoute(), {
        method: 'post',
        body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
    });
    assert.equal(response.status, 201);
    assert.equal(user.username, username);
    assert.equal(user.id.length, 26);
    assert.deepEqual(roles(user), new Set(['system_user']));
});

test('system ping', async () => {
    const status = await newClient().ping();
    assert.equal(status.status, 'OK');
});

test('login stores the token from the Token header and sends it as a bearer token', async () => {
    const { user } = await signUp();
    const client = newClient();
    const profile = await client.login(user.username, PASSWORD);
    assert.equal(profile.id, user.id);
    assert.ok(!profile.password);
    assert.equal(client.getToken().length, 26, `token: ${client.getToken()}`);

    const reuse = newClient();
    reuse.setToken(client.getToken());
    assert.equal((await reuse.getMe()).id, user.id);
});

test('Client4 reads the server version from X-Version-Id', async () => {
    const { client } = await signUp();
    await client.getMe();
    const version = client.getServerVersion();
    const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
    assert.ok(match, `X-Version-Id: ${JSON.stringify(version)}`);
    // Current mobile apps warn below 10.11.0 and log out below 9.11.0.
    const [major, minor] = [Number(match[1]), Number(match[2])];
    assert.ok(major > 10 || (major === 10 && minor >= 11), `version ${version} is older than 10.11.0`);
});

test('login by email', async () => {
    const { user } = await signUp();
    const client = newClient();
    assert.equal((await client.login(user.email, PASSWORD)).id, user.id);
});

test('get me', async () => {
    const { client, user } = await signUp();
    const me = await client.getMe();
    assert.equal(me.id, user.id);
    assert.equal(me.username, user.username);
    assert.equal(me.email, user.email);
    assert.equal(me.first_name, 'Compat');
    assert.equal((await client.getUser(user.id)).id, user.id);
});

test('wrong password is 401', async () => {
    const { user } = await signUp();
    await expectError(
        newClient().login(user.username, 'not-the-password'),
        401,
        'api.user.login.invalid_credentials_email_username',
    );
});

test('duplicate username is 400', async () => {
    const { user } = await signUp();
    await expectError(
        newClient().createUser({
            username: user.username,
            email: `other-${user.username}@example.com`,
            password: PASSWORD,
        }),
        400,
        'app.user.save.username_exists.app_error',
    );
});
