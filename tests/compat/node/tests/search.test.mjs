// Post search through Client4's searchPostsWithParams, as the web app's search box calls it.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, post, signUp, sleep, teamWithMembers, unique,
} from '../helpers.mjs';

/** Searches until `want` ids are found (the index follows writes within moments). */
async function searchUntil(client, teamId, params, want) {
    const deadline = Date.now() + 15000;
    for (;;) {
        const found = await client.searchPostsWithParams(teamId, params);
        if (found.order.length >= want || Date.now() > deadline) {
            return found;
        }
        await sleep(50);
    }
}

test('search: words, partial words, modifiers and matches', async () => {
    const { owner, team, members } = await teamWithMembers(1);
    const channel = await createChannel(owner.client, team.id);
    const word = unique('kw');
    const host = await post(owner.client, channel.id, `ping ${word}.example.com now`);
    const other = await post(owner.client, channel.id, `${word} plain #Ops-1`);

    const all = await searchUntil(owner.client, team.id, { terms: word, is_or_search: false }, 2);
    assert.deepEqual(all.order, [other.id, host.id]);
    assert.deepEqual(all.matches[host.id], [`${word}.example.com`]);
    assert.equal(all.posts[host.id].message, host.message);

    const partial = await owner.client.searchPostsWithParams(team.id, { terms: word.slice(0, -2) });
    assert.deepEqual(partial.order, [other.id, host.id]);
    const dotted = await owner.client.searchPostsWithParams(team.id, { terms: `${word}.example.com` });
    assert.deepEqual(dotted.order, [host.id]);
    const excluded = await owner.client.searchPostsWithParams(team.id, { terms: `${word} -example` });
    assert.deepEqual(excluded.order, [other.id]);
    const tagged = await owner.client.searchPostsWithParams(team.id, { terms: '#ops-1' });
    assert.deepEqual(tagged.order, [other.id]);
    const byOwner = await owner.client.searchPostsWithParams(null, {
        terms: `${word} from:${owner.user.username} in:${channel.name}`,
        page: 0,
        per_page: 1,
    });
    assert.deepEqual(byOwner.order, [other.id]);

    // The member is on the team but not in the channel: nothing.
    const member = members[0];
    const none = await member.client.searchPostsWithParams(team.id, { terms: word });
    assert.deepEqual(none.order, []);
});

test('search: refused outside the team and without terms', async () => {
    const { owner, team } = await teamWithMembers(0);
    const stranger = await signUp();
    await expectError(
        stranger.client.searchPostsWithParams(team.id, { terms: 'anything' }),
        403,
        'api.context.permissions.app_error',
    );
    await expectError(
        owner.client.searchPostsWithParams(team.id, { terms: '' }),
        400,
        'api.context.invalid_body_param.app_error',
    );
});
