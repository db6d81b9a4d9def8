// Reactions through Client4: add, list for a post and for many posts, remove, and refusals.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, post, teamWithMembers,
} from '../helpers.mjs';

async function sharedPost() {
    const { owner, team, members: [member, outsider] } = await teamWithMembers(2);
    const channel = await createChannel(owner.client, team.id, 'P');
    await owner.client.addToChannel(member.user.id, channel.id);
    const root = await post(owner.client, channel.id, 'react to me');
    return { owner, member, outsider, root };
}

test('add, list, list for many posts and remove', async () => {
    const { owner, member, root } = await sharedPost();
    const added = await member.client.addReaction(member.user.id, root.id, 'tada');
    assert.equal(added.emoji_name, 'tada');
    assert.equal(added.post_id, root.id);
    await owner.client.addReaction(owner.user.id, root.id, 'white_check_mark');
    const listed = await owner.client.getReactionsForPost(root.id);
    assert.deepEqual(listed.map((r) => r.emoji_name).sort(), ['tada', 'white_check_mark']);
    const many = await owner.client.doFetch(`${owner.client.getPostsRoute()}/ids/reactions`, {
        method: 'post', body: JSON.stringify([root.id]),
    });
    assert.equal(many[root.id].length, 2);
    await member.client.removeReaction(member.user.id, root.id, 'tada');
    assert.deepEqual((await owner.client.getReactionsForPost(root.id)).map((r) => r.emoji_name), ['white_check_mark']);
});

test('an outsider of a private channel can neither react nor read the reactions', async () => {
    const { outsider, root } = await sharedPost();
    await expectError(outsider.client.addReaction(outsider.user.id, root.id, 'tada'), 403, 'api.context.permissions.app_error');
    await expectError(outsider.client.getReactionsForPost(root.id), 403, 'api.context.permissions.app_error');
});
