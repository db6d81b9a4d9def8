// The WebSocket through Mattermost's own WebSocketClient: hello, posts, privacy, typing,
// membership events, and the reliable reconnect (resume with connection_id + sequence_number).

import { test } from 'node:test';
import {
    assert, createChannel, post, sleep, teamWithMembers,
} from '../helpers.mjs';
import { listen, postOf } from '../realtime.mjs';

/** A public channel shared by its creator (`poster`), `reader` and `third`, in one team. */
async function room() {
    const { owner: poster, team, members: [reader, third] } = await teamWithMembers(2);
    const channel = await createChannel(poster.client, team.id);
    for (const member of [reader, third]) {
        await poster.client.addToChannel(member.user.id, channel.id);
    }
    return { poster, reader, third, team, channel };
}

function assertConsecutive(events, start) {
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => start + i), `seq from ${start}: ${seqs}`);
}

async function until(condition, what, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(20);
    }
}

test('hello is the first event, seq 0, with the connection id', async (t) => {
    const { reader } = await room();
    const listener = await listen(t, reader.client);
    const [hello] = listener.events;
    assert.equal(hello.event, 'hello');
    assert.equal(hello.seq, 0);
    assert.equal(hello.data.connection_id.length, 26, JSON.stringify(hello));
    assert.ok(hello.data.server_version, JSON.stringify(hello));
    assert.equal(hello.broadcast.user_id, reader.user.id);
    assert.equal(listener.ws.connectionId, hello.data.connection_id, 'the client keeps the id');
    assert.ok(listener.urls[0].endsWith('?connection_id=&sequence_number=0'), listener.urls[0]);
});

test('ping and get_statuses_by_ids answer through the client callbacks', async (t) => {
    const { reader, poster } = await room();
    const listener = await listen(t, reader.client);
    // Connecting sets the user online asynchronously (in Mattermost too); the event says when.
    await listener.waitForEvent('status_change', { user_id: reader.user.id, status: 'online' });
    const pong = await listener.request((cb) => listener.ws.ping(cb));
    assert.equal(pong.status, 'OK', JSON.stringify(pong));
    assert.equal(pong.data.text, 'pong', JSON.stringify(pong));
    const statuses = await listener.request(
        (cb) => listener.ws.getStatusesByIds([reader.user.id, poster.user.id], cb),
    );
    assert.equal(statuses.status, 'OK', JSON.stringify(statuses));
    assert.equal(statuses.data[reader.user.id], 'online', JSON.stringify(statuses));
    assert.ok(['online', 'away', 'dnd', 'offline'].includes(statuses.data[poster.user.id]),
        JSON.stringify(statuses));
});

test('a post by another user arrives as posted, with mentions for the mentioned', async (t) => {
    const { poster, reader, third, team, channel } = await room();
    const readerWs = await listen(t, reader.client);
    const thirdWs = await listen(t, third.client);

    const plain = await post(poster.client, channel.id, 'plain words');
    const mention = await post(poster.client, channel.id, `hello @${reader.user.username}`);

    const event = await readerWs.waitForPost(plain.id);
    assert.equal(event.broadcast.channel_id, channel.id);
    const { data } = event;
    assert.equal(postOf(event).message, 'plain words');
    assert.equal(postOf(event).user_id, poster.user.id);
    assert.equal(data.channel_type, 'O');
    assert.equal(data.channel_name, channel.name);
    assert.equal(data.channel_display_name, channel.display_name);
    assert.equal(data.sender_name, `@${poster.user.username}`);
    assert.equal(data.team_id, team.id);
    assert.equal(data.mentions, undefined, 'a plain post mentions nobody');

    const mentioned = await readerWs.waitForPost(mention.id);
    assert.ok(mentioned.seq > event.seq, 'posted events arrive in the order of the posts');
    assert.deepEqual(JSON.parse(mentioned.data.mentions), [reader.user.id]);
    const thirdCopy = await thirdWs.waitForPost(mention.id);
    assert.equal(thirdCopy.data.mentions, undefined, 'only the mentioned user has mentions');
});

test('edits and deletes arrive as post_edited and post_deleted', async (t) => {
    const { poster, reader, channel } = await room();
    const listener = await listen(t, reader.client);

    const created = await post(poster.client, channel.id, 'first draft');
    await poster.client.patchPost({ id: created.id, message: 'second draft' });
    await poster.client.deletePost(created.id);

    const edited = await listener.waitForEvent('post_edited', { channel_id: channel.id });
    assert.equal(postOf(edited).id, created.id);
    assert.equal(postOf(edited).message, 'second draft');
    assert.ok(postOf(edited).edit_at > 0);
    const deleted = await listener.waitForEvent('post_deleted', { channel_id: channel.id });
    assert.equal(postOf(deleted).id, created.id);

    const postEvents = listener.events.filter((e) => e.event.startsWith('post'));
    assert.deepEqual(postEvents.map((e) => e.event), ['posted', 'post_edited', 'post_deleted']);
    assertConsecutive(listener.events, 0);
});

test('a private channel post does not reach a non-member', async (t) => {
    const { poster, reader, third, team, channel } = await room();
    const closed = await createChannel(poster.client, team.id, 'P');
    await poster.client.addToChannel(third.user.id, closed.id);
    const outsider = await listen(t, reader.client);
    const member = await listen(t, third.client);

    const secret = await post(poster.client, closed.id, 'members only');
    const sentinel = await post(poster.client, channel.id, 'everyone');

    const got = await member.waitForPost(secret.id);
    assert.equal(got.data.channel_type, 'P');
    const arrived = await outsider.waitForPost(sentinel.id);
    const leaked = outsider.before(arrived).filter(
        (e) => e.broadcast.channel_id === closed.id || JSON.stringify(e.data).includes(closed.id),
    );
    assert.deepEqual(leaked, []);
});

test('typing from the other user arrives (WebSocketClient.userTyping)', async (t) => {
    const { poster, reader, channel } = await room();
    const typist = await listen(t, poster.client);
    const watcher = await listen(t, reader.client);

    const reply = await typist.request((cb) => typist.ws.userTyping(channel.id, '', cb));
    assert.equal(reply.status, 'OK', JSON.stringify(reply));
    const typing = await watcher.waitForEvent('typing', { channel_id: channel.id });
    assert.equal(typing.data.user_id, poster.user.id);
    assert.equal(typing.data.parent_id, '');

    const sentinel = await post(poster.client, channel.id, 'done typing');
    const own = await typist.waitForPost(sentinel.id);
    assert.deepEqual(typist.before(own).filter((e) => e.event === 'typing'), [],
        'the typist does not hear its own typing');
});

test('user_added / user_removed, and a removed user stops receiving the channel', async (t) => {
    const { poster: owner, reader: joiner, team, channel: lobby } = await room();
    const channel = await createChannel(owner.client, team.id);
    const ownerWs = await listen(t, owner.client);
    const joinerWs = await listen(t, joiner.client);

    await owner.client.addToChannel(joiner.user.id, channel.id);
    for (const ws of [ownerWs, joinerWs]) {
        const added = await ws.waitForEvent('user_added', {
            channel_id: channel.id, user_id: joiner.user.id,
        });
        assert.equal(added.data.team_id, team.id);
    }
    const welcome = await post(owner.client, channel.id, 'welcome');
    await joinerWs.waitForPost(welcome.id);

    await owner.client.removeFromChannel(joiner.user.id, channel.id);
    // The removed user's own copy (the webapp leaves the channel when broadcast.user_id is
    // its own id) ...
    const removed = await joinerWs.waitFor(
        (m) => m.event === 'user_removed' && m.broadcast.user_id === joiner.user.id,
        'user_removed addressed to the removed user',
    );
    assert.equal(removed.data.channel_id, channel.id);
    assert.equal(removed.data.remover_id, owner.user.id);
    // ... and the channel's copy.
    const seen = await ownerWs.waitForEvent('user_removed', { user_id: joiner.user.id });
    assert.equal(seen.broadcast.channel_id, channel.id);

    const after = await post(owner.client, channel.id, 'after the removal');
    const sentinel = await post(owner.client, lobby.id, 'still here');
    await ownerWs.waitForPost(after.id);
    const arrived = await joinerWs.waitForPost(sentinel.id);
    const sinceRemoval = joinerWs.before(arrived).slice(joinerWs.events.indexOf(removed));
    const postsThere = sinceRemoval
        .filter((e) => e.event === 'posted' && e.broadcast.channel_id === channel.id)
        .map((e) => postOf(e));
    assert.deepEqual(postsThere, [], 'nothing of the channel after the removal');
});

/**
 * Drops the reader's socket (no close handshake) and keeps the "network" down while the
 * poster posts `count` messages; then lets the client's own retry loop reconnect.
 * Resolves with what the test needs to check the reconnect.
 */
async function dropAndMiss(listener, poster, channelId, count) {
    // Connecting sets the user online asynchronously; waiting for that event keeps it from
    // landing between the live post and the drop, where it would move the sequence on.
    const self = listener.events[0].broadcast.user_id;
    await listener.waitForEvent('status_change', { user_id: self, status: 'online' });
    const live = await post(poster.client, channelId, 'before the drop');
    const liveEvent = await listener.waitForPost(live.id);
    const received = listener.events.length;
    const attempts = listener.urls.length;

    listener.network = 'down';
    listener.dropSocket();
    const missed = [];
    for (let i = 0; i < count; i++) {
        const created = await poster.client.createPost({ channel_id: channelId, message: `missed ${i}` });
        missed.push(created.id);
    }
    // The client noticed and is retrying by itself while the network is down.
    await until(() => listener.urls.length > attempts + 1, 'a failed reconnect attempt');
    listener.network = 'up';
    return { liveEvent, received, attempts, missed };
}

function queryOf(url) {
    return Object.fromEntries(new URL(url).searchParams);
}

test('a client whose socket drops gets exactly the events it missed after reconnecting', async (t) => {
    const { poster, reader, channel } = await room();
    const listener = await listen(t, reader.client);
    const hello = listener.events[0];
    const count = 5;

    const dropped = await dropAndMiss(listener, poster, channel.id, count);
    const { liveEvent, received, attempts, missed } = dropped;
    await listener.waitForPost(missed.at(-1));

    // Every reconnect attempt asked to resume where the client left off.
    for (const url of listener.urls.slice(attempts)) {
        const q = queryOf(url);
        assert.equal(q.connection_id, hello.data.connection_id, url);
        assert.equal(q.sequence_number, String(liveEvent.seq + 1), url);
    }
    const replayed = listener.events.slice(received, received + count);
    const shown = listener.events.slice(received).map((e) => `${e.event}#${e.seq}`);
    assert.deepEqual(replayed.map((e) => e.event), Array(count).fill('posted'),
        `first the missed posted events, and no new hello: ${shown}`);
    assert.deepEqual(replayed.map((e) => postOf(e).id), missed);
    assertConsecutive(replayed, liveEvent.seq + 1);
    assert.equal(listener.reconnects, 1, 'one reconnect');
    assert.equal(listener.missed, 0, 'the client did not have to resync');
    assert.equal(listener.ws.connectionId, hello.data.connection_id);

    // The resumed connection is live and continues the sequence.
    const later = await post(poster.client, channel.id, 'after the resume');
    await listener.waitForPost(later.id);
    const sinceResume = listener.events.slice(received);
    assertConsecutive(sinceResume, liveEvent.seq + 1);
    // Besides the later post, only news from after the reconnect: the user is online again.
    const news = sinceResume.slice(count).filter((e) => e.event !== 'posted');
    for (const e of news) {
        assert.deepEqual([e.event, e.data.user_id, e.data.status],
            ['status_change', reader.user.id, 'online'], `after the resume: ${JSON.stringify(e)}`);
    }
    assert.equal(listener.events.filter((e) => e.event === 'hello').length, 1);
    assert.equal(listener.reconnects, 1, 'no further reconnect (a seq gap would cause one)');
});

test('128 missed events are still replayed losslessly', async (t) => {
    const { poster, reader, channel } = await room();
    const listener = await listen(t, reader.client);
    const { liveEvent, received, missed } = await dropAndMiss(listener, poster, channel.id, 128);
    await listener.waitForPost(missed.at(-1));
    // What follows the replay (the user's own status_change back to online) is new, not missed.
    const replayed = listener.events.slice(received, received + missed.length);
    assert.deepEqual(replayed.map((e) => e.event), Array(missed.length).fill('posted'));
    assert.deepEqual(replayed.map((e) => postOf(e).id), missed);
    assertConsecutive(replayed, liveEvent.seq + 1);
    assert.equal(listener.missed, 0);
});

test('after more missed events than the server keeps, a new hello and a resync', async (t) => {
    const { poster, reader, channel } = await room();
    const listener = await listen(t, reader.client);
    const hello = listener.events[0];
    const { received, missed } = await dropAndMiss(listener, poster, channel.id, 129);

    const fresh = await listener.waitFor(
        (m) => m.event === 'hello' && m.data.connection_id !== hello.data.connection_id,
        'a new hello',
    );
    assert.equal(fresh.seq, 0);
    assert.equal(listener.events.indexOf(fresh), received, 'no partial replay before the new hello');
    assert.equal(listener.missed, 1, "the client's missed-message listeners ran (full resync)");
    assert.equal(listener.ws.connectionId, fresh.data.connection_id);

    const later = await post(poster.client, channel.id, 'after the resync');
    await listener.waitForPost(later.id);
    assertConsecutive(listener.events.slice(received), 0);
    const replayed = listener.events.slice(received)
        .filter((e) => e.event === 'posted' && missed.includes(postOf(e).id));
    assert.deepEqual(replayed, [], 'nothing of the lost stretch is replayed');
});
