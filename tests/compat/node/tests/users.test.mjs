// Looking users up: by ids, by usernames, search and autocomplete.

import { test } from 'node:test';
import {
    assert, createChannel, createTeam, signUp, unique,
} from '../helpers.mjs';

const ids = (users) => users.map((u) => u.id).sort();

test('get users by ids and by usernames', async () => {
    const me = await signUp();
    const other = await signUp();
    const byIds = await me.client.getProfilesByIds([me.user.id, other.user.id]);
    assert.deepEqual(ids(byIds), [me.user.id, other.user.id].sort());
    const byNames = await me.client.getProfilesByUsernames([me.user.username, other.user.username]);
    assert.deepEqual(byNames.map((u) => u.username).sort(), [me.user.username, other.user.username].sort());
    assert.equal((await me.client.getUserByUsername(other.user.username)).id, other.user.id);
});

test('search users by term, and within a team', async () => {
    const prefix = unique('srch');
    const owner = await signUp(prefix);
    const inTeam = await signUp(prefix);
    const outside = await signUp(prefix);
    const team = await createTeam(owner.client);
    await owner.client.addToTeam(team.id, inTeam.user.id);

    const everyone = await owner.client.searchUsers(prefix, {});
    assert.deepEqual(ids(everyone), [owner.user.id, inTeam.user.id, outside.user.id].sort());
    const teamOnly = await owner.client.searchUsers(prefix, { team_id: team.id });
    assert.deepEqual(ids(teamOnly), [owner.user.id, inTeam.user.id].sort());
});

test('autocomplete users in a team and in a channel', async () => {
    const prefix = unique('auto');
    const owner = await signUp(prefix);
    const member = await signUp(prefix);
    const team = await createTeam(owner.client);
    await owner.client.addToTeam(team.id, member.user.id);
    const channel = await createChannel(owner.client, team.id);

    const inTeam = await owner.client.autocompleteUsers(prefix, team.id, undefined);
    assert.deepEqual(ids(inTeam.users), [owner.user.id, member.user.id].sort());

    const inChannel = await owner.client.autocompleteUsers(prefix, team.id, channel.id);
    assert.deepEqual(ids(inChannel.users), [owner.user.id]);
    assert.deepEqual(ids(inChannel.out_of_channel), [member.user.id]);
});
