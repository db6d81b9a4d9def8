// Custom emoji through Client4: create (multipart), read, by names, list, search,
// autocomplete, image, delete, and the emoji_added event. The compat server runs with
// ServiceSettings.EnableCustomEmoji on (run.sh).

import { test } from 'node:test';
import zlib from 'node:zlib';
import {
    assert, expectError, signUp, unique, UNKNOWN_ID,
} from '../helpers.mjs';
import { listen } from '../realtime.mjs';

/** A solid PNG of the given size. */
function png(width, height) {
    const chunk = (kind, data) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(kind), data])));
        return Buffer.concat([length, Buffer.from(kind), data, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x7f)]);
    const pixels = Buffer.concat(Array.from({ length: height }, () => row));
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('IDAT', zlib.deflateSync(pixels)),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

function create(client, user, name, image) {
    return client.createCustomEmoji({ name, creator_id: user.id }, new Blob([image], { type: 'image/png' }));
}

async function fetchImage(client, emojiId) {
    return fetch(client.getCustomEmojiImageUrl(emojiId), { headers: { Authorization: `Bearer ${client.getToken()}` } });
}

test('create, read, list, search and delete a custom emoji', async () => {
    const { client, user } = await signUp();
    const reader = await signUp();
    const name = unique('emoji_');
    const image = png(40, 30);

    const created = await create(client, user, name, image);
    assert.equal(created.name, name);
    assert.equal(created.creator_id, user.id);
    assert.equal(created.id.length, 26);

    assert.deepEqual(await reader.client.getCustomEmoji(created.id), created);
    assert.deepEqual(await reader.client.getCustomEmojiByName(name), created);
    assert.deepEqual(await reader.client.getCustomEmojisByNames([name, 'smile', 'nobody']), [created]);
    const listed = await reader.client.getCustomEmojis(0, 200, 'name');
    assert.ok(listed.some((e) => e.id === created.id), JSON.stringify(listed));
    assert.deepEqual(await reader.client.searchCustomEmoji(name.slice(6)), [created]);
    assert.deepEqual(await reader.client.searchCustomEmoji(name.slice(6), { prefix_only: true }), []);
    assert.deepEqual(await reader.client.autocompleteCustomEmoji(name), [created]);

    const served = await fetchImage(reader.client, created.id);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('cache-control'), 'max-age=2592000, private');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), image);

    await expectError(reader.client.deleteCustomEmoji(created.id), 403, 'api.context.permissions.app_error');
    assert.deepEqual(await client.deleteCustomEmoji(created.id), { status: 'OK' });
    await expectError(reader.client.getCustomEmoji(created.id), 404, 'app.emoji.get.no_result');
    await expectError(reader.client.getCustomEmojiByName(name), 404, 'app.emoji.get_by_name.no_result');
    await expectError(reader.client.getCustomEmoji(UNKNOWN_ID), 404, 'app.emoji.get.no_result');
});

test('bad custom emoji are refused with Mattermost\'s errors', async () => {
    const { client, user } = await signUp();
    await expectError(create(client, user, 'smile', png(8, 8)), 400, 'model.emoji.system_emoji_name.app_error');
    await expectError(create(client, user, 'no spaces', png(8, 8)), 400, 'model.emoji.name.app_error');
    await expectError(create(client, user, unique('text_'), Buffer.from('not an image')), 400, 'api.emoji.upload.image.app_error');
    await expectError(
        create(client, user, unique('huge_'), png(1100, 8)),
        400,
        'api.emoji.upload.large_image.too_large.app_error',
    );
    const other = await signUp();
    await expectError(
        create(client, other.user, unique('other_'), png(8, 8)),
        403,
        'api.emoji.create.other_user.app_error',
    );
    const name = unique('dup_');
    await create(client, user, name, png(8, 8));
    await expectError(create(client, user, name, png(8, 8)), 400, 'api.emoji.create.duplicate.app_error');
});

test('a large image is shrunk to 128 pixels', async () => {
    const { client, user } = await signUp();
    const created = await create(client, user, unique('wide_'), png(256, 64));
    const served = Buffer.from(await (await fetchImage(client, created.id)).arrayBuffer());
    assert.deepEqual([served.readUInt32BE(16), served.readUInt32BE(20)], [128, 32]);
});

test('emoji_added reaches other users', async (t) => {
    const { client, user } = await signUp();
    const other = await signUp();
    const listener = await listen(t, other.client);
    const created = await create(client, user, unique('event_'), png(8, 8));
    const event = await listener.waitFor(
        (e) => e.event === 'emoji_added' && JSON.parse(e.data.emoji).id === created.id,
        'emoji_added',
    );
    assert.deepEqual(JSON.parse(event.data.emoji), created);
    assert.equal(event.broadcast.channel_id, '');
});
