// Sidebar categories through Client4, and the start-up calls for groups and the system-wide
// channel search.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, signUp, teamWithMembers,
} from '../helpers.mjs';

test('channel categories: defaults, create, update, order, delete', async () => {
    const { owner, members, team } = await teamWithMembers(1);
    const { client, user } = owner;
    const channel = await createChannel(client, team.id);

    const listed = await client.getChannelCategories(user.id, team.id);
    assert.deepEqual(listed.categories.map((c) => c.type), ['favorites', 'channels', 'direct_messages']);
    assert.deepEqual(listed.order, listed.categories.map((c) => c.id));
    assert.ok(listed.categories[1].channel_ids.includes(channel.id));

    const made = await client.createChannelCategory(user.id, team.id, {
        user_id: user.id, team_id: team.id, display_name: 'Work', channel_ids: [channel.id],
    });
    assert.equal(made.type, 'custom');
    assert.deepEqual(made.channel_ids, [channel.id]);

    const [renamed] = await client.updateChannelCategories(user.id, team.id, [{ ...made, display_name: 'Renamed' }]);
    assert.equal(renamed.display_name, 'Renamed');

    const order = [...(await client.getChannelCategories(user.id, team.id)).order].reverse();
    assert.deepEqual(await client.updateChannelCategoryOrder(user.id, team.id, order), order);
    assert.deepEqual((await client.getChannelCategories(user.id, team.id)).order, order);

    assert.deepEqual(await client.deleteChannelCategory(user.id, team.id, made.id), { status: 'OK' });
    const after = await client.getChannelCategories(user.id, team.id);
    assert.equal(after.categories.length, 3);
    assert.ok(after.categories.find((c) => c.type === 'channels').channel_ids.includes(channel.id));

    await expectError(
        members[0].client.getChannelCategories(user.id, team.id),
        403,
        'api.context.permissions.app_error',
    );
});

test('groups are empty and the channel search is for the system console', async () => {
    const { client } = await signUp();
    assert.deepEqual(await client.getGroups({ include_member_count: true }), []);
    await expectError(client.searchAllChannels('x'), 403, 'api.context.permissions.app_error');
});
