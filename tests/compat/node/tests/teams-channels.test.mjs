// Teams, team members, channels, channel membership, direct and group messages.

import crypto from 'node:crypto';
import { test } from 'node:test';
import {
    assert, createChannel, createTeam, expectError, roles, signUp, teamWithMembers,
} from '../helpers.mjs';

test('create team: the creator is team admin', async () => {
    const { client, user } = await signUp();
    const team = await createTeam(client);
    assert.equal(team.id.length, 26);
    assert.equal(team.type, 'O');
    assert.equal((await client.getTeam(team.id)).name, team.name);
    assert.equal((await client.getTeamByName(team.name)).id, team.id);
    const member = await client.getTeamMember(team.id, user.id);
    assert.ok(roles(member).has('team_admin') && roles(member).has('team_user'), member.roles);
    assert.ok((await client.getMyTeams()).some((t) => t.id === team.id));
});

test('a new team has town-square and off-topic', async () => {
    const { client } = await signUp();
    const team = await createTeam(client);
    for (const name of ['town-square', 'off-topic']) {
        const channel = await client.getChannelByName(team.id, name);
        assert.equal(channel.team_id, team.id);
        assert.equal(channel.type, 'O');
    }
});

test('add a member to a team', async () => {
    const owner = await signUp();
    const member = await signUp();
    const team = await createTeam(owner.client);
    const added = await owner.client.addToTeam(team.id, member.user.id);
    assert.equal(added.team_id, team.id);
    assert.equal(added.user_id, member.user.id);
    assert.deepEqual(roles(added), new Set(['team_user']));
    const members = await owner.client.getTeamMembers(team.id, 0, 60);
    assert.ok(members.some((m) => m.user_id === member.user.id));
    assert.ok((await member.client.getMyTeams()).some((t) => t.id === team.id));
});

test('a new team member joins town-square and off-topic', async () => {
    const { owner, team, members: [member] } = await teamWithMembers(1);
    for (const name of ['town-square', 'off-topic']) {
        const channel = await owner.client.getChannelByName(team.id, name);
        assert.equal((await member.client.getChannelMember(channel.id, member.user.id)).user_id, member.user.id);
    }
});

test('create public and private channels', async () => {
    const { client, user } = await signUp();
    const team = await createTeam(client);
    const open = await createChannel(client, team.id, 'O');
    const closed = await createChannel(client, team.id, 'P');
    assert.equal(open.type, 'O');
    assert.equal(closed.type, 'P');
    for (const channel of [open, closed]) {
        assert.equal(channel.team_id, team.id);
        assert.equal(channel.creator_id, user.id);
        assert.equal((await client.getChannel(channel.id)).name, channel.name);
        const member = await client.getChannelMember(channel.id, user.id);
        assert.ok(roles(member).has('channel_admin'), member.roles);
    }
    const mine = (await client.getMyChannels(team.id)).map((c) => c.id);
    assert.ok(mine.includes(open.id) && mine.includes(closed.id));
    const listed = (await client.getChannels(team.id)).map((c) => c.id);
    assert.ok(listed.includes(open.id));
    assert.ok(!listed.includes(closed.id));
});

test('join and leave a public channel', async () => {
    const { owner, team, members: [member] } = await teamWithMembers(1);
    const channel = await createChannel(owner.client, team.id);
    const joined = await member.client.addToChannel(member.user.id, channel.id);
    assert.equal(joined.channel_id, channel.id);
    assert.equal(joined.user_id, member.user.id);
    const listed = await owner.client.getChannelMembers(channel.id);
    assert.ok(listed.some((m) => m.user_id === member.user.id));

    const left = await member.client.removeFromChannel(member.user.id, channel.id);
    assert.deepEqual(left, { status: 'OK' });
    await expectError(
        owner.client.getChannelMember(channel.id, member.user.id),
        404,
        'app.channel.get_member.missing.app_error',
    );
});

test('joining and leaving post system messages', async () => {
    const { owner, team, members: [member] } = await teamWithMembers(1);
    const channel = await createChannel(owner.client, team.id);
    await member.client.addToChannel(member.user.id, channel.id);
    await member.client.removeFromChannel(member.user.id, channel.id);
    const list = await owner.client.getPosts(channel.id);
    const newest = list.order.slice(0, 2).map((id) => [list.posts[id].type, list.posts[id].user_id]);
    assert.deepEqual(newest, [
        ['system_leave_channel', member.user.id],
        ['system_join_channel', member.user.id],
    ]);
});

test('direct message channel', async () => {
    const me = await signUp();
    const other = await signUp();
    const dm = await me.client.createDirectChannel([me.user.id, other.user.id]);
    assert.equal(dm.type, 'D');
    assert.equal(dm.team_id, '');
    assert.equal(dm.name, [me.user.id, other.user.id].sort().join('__'));
    const again = await other.client.createDirectChannel([other.user.id, me.user.id]);
    assert.equal(again.id, dm.id);
    assert.equal((await other.client.getChannel(dm.id)).id, dm.id);
});

test('group message channel', async () => {
    const users = [await signUp(), await signUp(), await signUp()];
    const ids = users.map((u) => u.user.id);
    const client = users[0].client;
    const gm = await client.createGroupChannel(ids);
    assert.equal(gm.type, 'G');
    assert.equal(gm.team_id, '');
    const expectedName = crypto.createHash('sha1').update([...ids].sort().join('')).digest('hex');
    assert.equal(gm.name, expectedName);
    assert.equal(gm.display_name, users.map((u) => u.user.username).sort().join(', '));
    assert.equal((await client.createGroupChannel([...ids].reverse())).id, gm.id);
    await expectError(client.createGroupChannel(ids.slice(0, 2)), 400, 'api.channel.create_group.bad_size.app_error');
});
