// Posts: create, reply, thread, edit, delete, and the channel post list with its cursors.

import { test } from 'node:test';
import {
    assert, createChannel, createTeam, expectError, post, signUp, sleep, teamWithMembers,
} from '../helpers.mjs';

async function soloChannel() {
    const { client, user } = await signUp();
    const team = await createTeam(client);
    return { client, user, channel: await createChannel(client, team.id) };
}

/** `order` without the system messages (join/leave) the server adds itself. */
const userOrder = (list) => list.order.filter((id) => list.posts[id].type === '');

test('create and get a post', async () => {
    const { client, user, channel } = await soloChannel();
    const created = await client.createPost({ channel_id: channel.id, message: 'hello compat' });
    assert.equal(created.id.length, 26);
    assert.equal(created.channel_id, channel.id);
    assert.equal(created.user_id, user.id);
    assert.equal(created.message, 'hello compat');
    assert.equal(created.root_id, '');
    const fetched = await client.getPost(created.id);
    assert.equal(fetched.message, 'hello compat');
});

test('channel creation posts a join message', async () => {
    const { client, user, channel } = await soloChannel();
    const list = await client.getPosts(channel.id);
    const kinds = list.order.map((id) => [list.posts[id].type, list.posts[id].user_id]);
    assert.deepEqual(kinds, [['system_join_channel', user.id]]);
});

test('reply in a thread and get the thread', async () => {
    const { client, channel } = await soloChannel();
    const root = await post(client, channel.id, 'root');
    const first = await post(client, channel.id, 'first reply', { root_id: root.id });
    const second = await post(client, channel.id, 'second reply', { root_id: root.id });
    await post(client, channel.id, 'unrelated');
    assert.equal(first.root_id, root.id);

    const thread = await client.getPostThread(root.id);
    const expected = [root.id, first.id, second.id].sort();
    assert.deepEqual([...thread.order].sort(), expected);
    assert.deepEqual(Object.keys(thread.posts).sort(), expected);
    assert.equal(thread.posts[root.id].reply_count, 2);
});

test('patch (edit) a post', async () => {
    const { client, channel } = await soloChannel();
    const created = await post(client, channel.id, 'before edit');
    const patched = await client.patchPost({ id: created.id, message: 'after edit' });
    assert.equal(patched.message, 'after edit');
    assert.ok(patched.edit_at > 0);
    assert.equal((await client.getPost(created.id)).message, 'after edit');
});

test('delete a post', async () => {
    const { client, channel } = await soloChannel();
    const kept = await post(client, channel.id, 'kept');
    const doomed = await post(client, channel.id, 'doomed');
    assert.deepEqual(await client.deletePost(doomed.id), { status: 'OK' });
    await expectError(client.getPost(doomed.id), 404, 'app.post.get.app_error');
    assert.deepEqual(userOrder(await client.getPosts(channel.id)), [kept.id]);
});

test('channel posts: page and per_page', async () => {
    const { client, channel } = await soloChannel();
    const ids = [];
    for (let i = 0; i < 5; i++) {
        ids.push((await post(client, channel.id, `message ${i}`)).id);
    }
    const newestFirst = [...ids].reverse();
    assert.deepEqual(userOrder(await client.getPosts(channel.id)), newestFirst);
    assert.deepEqual((await client.getPosts(channel.id, 0, 2)).order, newestFirst.slice(0, 2));
    assert.deepEqual((await client.getPosts(channel.id, 1, 2)).order, newestFirst.slice(2, 4));
    assert.equal((await client.getPosts(channel.id, 2, 2)).order[0], newestFirst[4]);
});

test('channel posts: before and after a post', async () => {
    const { client, channel } = await soloChannel();
    const ids = [];
    for (let i = 0; i < 5; i++) {
        ids.push((await post(client, channel.id, `message ${i}`)).id);
    }
    const before = await client.getPostsBefore(channel.id, ids[2], 0, 2);
    assert.deepEqual(before.order, [ids[1], ids[0]]);
    assert.equal(before.next_post_id, ids[2]);
    const after = await client.getPostsAfter(channel.id, ids[2], 0, 2);
    assert.deepEqual(after.order, [ids[4], ids[3]]);
    assert.equal(after.prev_post_id, ids[2]);
    const afterLast = await client.getPostsAfter(channel.id, ids[4], 0, 60);
    assert.deepEqual(afterLast.order, []);
});

test('channel posts: since a time returns new and edited posts', async () => {
    const { client, channel } = await soloChannel();
    const old = await post(client, channel.id, 'old');
    const anchor = await post(client, channel.id, 'anchor');
    await sleep(10);
    const fresh = await post(client, channel.id, 'new');
    await client.patchPost({ id: old.id, message: 'old, edited' });
    const since = await client.getPostsSince(channel.id, anchor.create_at);
    // Mattermost keeps the pre-edit version as a deleted copy (original_id = the edited post),
    // updated at edit time, so "since" returns it too and clients drop it by its delete_at.
    const history = since.order.filter((id) => since.posts[id].delete_at > 0 && since.posts[id].original_id === old.id);
    assert.equal(history.length, 1, JSON.stringify(since));
    assert.deepEqual([...since.order].sort(), [fresh.id, old.id, history[0]].sort());
    assert.equal(since.posts[old.id].message, 'old, edited');
});

test('a non-member cannot post in a private channel', async () => {
    const { owner, team, members: [outsider] } = await teamWithMembers(1);
    const closed = await createChannel(owner.client, team.id, 'P');
    await expectError(
        outsider.client.createPost({ channel_id: closed.id, message: 'hi' }),
        403,
        'api.context.permissions.app_error',
    );
});
