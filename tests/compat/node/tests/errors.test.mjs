// Client4 throws ClientError with Mattermost's status_code and error id.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, newClient, signUp, teamWithMembers, UNKNOWN_ID,
} from '../helpers.mjs';

test('unknown channel is 404', async () => {
    const { client } = await signUp();
    await expectError(client.getChannel(UNKNOWN_ID), 404, 'app.channel.get.existing.app_error');
});

test('malformed channel id is 400', async () => {
    const { client } = await signUp();
    await expectError(client.getChannel('tooshort'), 400, 'api.context.invalid_url_param.app_error');
});

test('private channel of others is 403', async () => {
    const { owner, team, members: [outsider] } = await teamWithMembers(1);
    const closed = await createChannel(owner.client, team.id, 'P');
    await expectError(outsider.client.getChannel(closed.id), 403, 'api.context.permissions.app_error');
});

test('unknown post is 404', async () => {
    const { client } = await signUp();
    await expectError(client.getPost(UNKNOWN_ID), 404, 'app.post.get.app_error');
});

test('unknown team is 404', async () => {
    const { client } = await signUp();
    await expectError(client.getTeam(UNKNOWN_ID), 404, 'app.team.get.find.app_error');
});

test('no token is 401', async () => {
    await expectError(newClient().getMe(), 401, 'api.context.session_expired.app_error');
});

test('the token is dead after logout', async () => {
    const { client } = await signUp();
    const token = client.getToken();
    assert.ok((await client.logout()).ok);
    assert.equal(client.getToken(), '');
    client.setToken(token);
    await expectError(client.getMe(), 401, 'api.context.session_expired.app_error');
});
