// Collapsed reply threads through Client4: the user's threads, one thread, read, unread,
// follow and unfollow.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, post, teamWithMembers,
} from '../helpers.mjs';

/** A root by the owner and a reply by a member that mentions the owner. */
async function threadWithReply() {
    const { owner, team, members: [member] } = await teamWithMembers(1);
    const channel = await createChannel(owner.client, team.id);
    await owner.client.addToChannel(member.user.id, channel.id);
    const root = await post(owner.client, channel.id, 'root');
    const reply = await post(member.client, channel.id, `@${owner.user.username} look`, { root_id: root.id });
    return { owner, member, team, root, reply };
}

test('a reply lists the thread for its author and the root author', async () => {
    const { owner, member, team, root, reply } = await threadWithReply();
    const list = await owner.client.getUserThreads('me', team.id, {});
    assert.equal(list.total, 1);
    assert.equal(list.total_unread_threads, 1);
    assert.equal(list.total_unread_mentions, 1);
    const [thread] = list.threads;
    assert.equal(thread.id, root.id);
    assert.equal(thread.reply_count, 1);
    assert.equal(thread.unread_replies, 1);
    assert.equal(thread.last_reply_at, reply.create_at);
    assert.equal(thread.post.id, root.id);
    const theirs = await member.client.getUserThreads('me', team.id, {});
    assert.equal(theirs.threads[0].unread_replies, 0);
    const totals = await owner.client.getUserThreads('me', team.id, { totalsOnly: true });
    assert.deepEqual(totals.threads, []);
});

test('read, mark unread, unfollow, follow and read all', async () => {
    const { owner, team, root, reply } = await threadWithReply();
    const read = await owner.client.updateThreadReadForUser('me', team.id, root.id, reply.create_at);
    assert.equal(read.unread_replies, 0);
    assert.equal(read.unread_mentions, 0);
    const unread = await owner.client.markThreadAsUnreadForUser('me', team.id, root.id, reply.id);
    assert.equal(unread.unread_replies, 1);
    assert.equal(unread.unread_mentions, 1);
    await owner.client.updateThreadFollowForUser('me', team.id, root.id, false);
    assert.equal((await owner.client.getUserThreads('me', team.id, {})).total, 0);
    await owner.client.updateThreadFollowForUser('me', team.id, root.id, true);
    const thread = await owner.client.getUserThread('me', team.id, root.id, true);
    assert.equal(thread.unread_replies, 0);
    assert.equal(thread.participants[0].id, reply.user_id);
    assert.deepEqual(await owner.client.updateThreadsReadForUser('me', team.id), { status: 'OK' });
});

test('another user is refused', async () => {
    const { owner, member, team } = await threadWithReply();
    await expectError(
        owner.client.getUserThreads(member.user.id, team.id, {}),
        403,
        'api.context.permissions.app_error',
    );
    await expectError(
        owner.client.getUserThreads('me', team.id, { before: 'a'.repeat(26), after: 'b'.repeat(26) }),
        400,
        'api.getThreadsForUser.bad_params',
    );
});
