// Files through Client4: upload (FormData, as the web app sends it), download, info, a file
// on a post with metadata.files, public links refused while disabled, and an outsider.

import { test } from 'node:test';
import {
    assert, createChannel, createTeam, expectError, post, signUp,
} from '../helpers.mjs';

async function privateChannel() {
    const { client, user } = await signUp();
    const team = await createTeam(client);
    return { client, user, channel: await createChannel(client, team.id, 'P') };
}

function form(channelId, name, bytes, clientId) {
    const data = new FormData();
    data.append('channel_id', channelId);
    data.append('client_ids', clientId);
    data.append('files', new Blob([bytes]), name);
    return data;
}

async function download(client, url) {
    return fetch(url, { headers: { Authorization: `Bearer ${client.getToken()}` } });
}

test('upload, download and attach a file', async () => {
    const { client, user, channel } = await privateChannel();
    const bytes = Buffer.from('col1,col2\n1,2\n'.repeat(500));
    const uploaded = await client.uploadFile(form(channel.id, 'data.csv', bytes, 'c1'));
    assert.deepEqual(uploaded.client_ids, ['c1']);
    const info = uploaded.file_infos[0];
    assert.equal(info.name, 'data.csv');
    assert.equal(info.size, bytes.length);
    assert.equal(info.user_id, user.id);

    const served = await download(client, client.getFileUrl(info.id, 0));
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);
    assert.match(served.headers.get('content-disposition'), /^attachment;/);
    const ranged = await fetch(client.getFileUrl(info.id, 0), {
        headers: { Authorization: `Bearer ${client.getToken()}`, Range: 'bytes=0-3' },
    });
    assert.equal(ranged.status, 206);
    assert.equal(await ranged.text(), 'col1');

    const created = await post(client, channel.id, 'data attached', { file_ids: [info.id] });
    assert.deepEqual(created.file_ids, [info.id]);
    assert.equal(created.metadata.files[0].id, info.id);
    const infos = await client.getFileInfosForPost(created.id);
    assert.deepEqual(infos.map((f) => f.id), [info.id]);
    await expectError(client.getFilePublicLink(info.id), 403, 'api.file.get_public_link.disabled.app_error');
});

test('an outsider can neither upload nor read', async () => {
    const { client, channel } = await privateChannel();
    const outsider = await signUp();
    await expectError(
        outsider.client.uploadFile(form(channel.id, 'x.txt', Buffer.from('x'), 'c1')),
        403,
        'api.context.permissions.app_error',
    );
    const info = (await client.uploadFile(form(channel.id, 'secret.txt', Buffer.from('secret'), 'c1'))).file_infos[0];
    const served = await download(outsider.client, outsider.client.getFileUrl(info.id, 0));
    assert.equal(served.status, 403);
    assert.ok(!(await served.text()).includes('secret'));
});
