// Drafts, scheduled posts and channel bookmarks through Client4's own calls.

import { test } from 'node:test';
import {
    assert, createChannel, expectError, teamWithMembers,
} from '../helpers.mjs';

const HOUR = 3600 * 1000;

async function memberChannel() {
    const { owner, team, members } = await teamWithMembers(1);
    const channel = await createChannel(owner.client, team.id);
    return { owner, team, channel, member: members[0] };
}

test('drafts: upsert, list for a team, delete', async () => {
    const { owner, team, channel } = await memberChannel();
    const saved = await owner.client.upsertDraft(
        { channel_id: channel.id, root_id: '', message: 'half written' },
        '',
    );
    assert.equal(saved.channel_id, channel.id);
    assert.equal(saved.user_id, owner.user.id);
    assert.equal(saved.message, 'half written');
    await owner.client.upsertDraft({ channel_id: channel.id, root_id: '', message: 'written' }, '');

    const drafts = await owner.client.getUserDrafts(team.id);
    assert.deepEqual(drafts.map((d) => d.message), ['written']);

    assert.deepEqual(await owner.client.deleteDraft(channel.id, '', ''), { status: 'OK' });
    assert.deepEqual(await owner.client.getUserDrafts(team.id), []);
});

test('drafts: not where one may not post', async () => {
    const { team, channel, member } = await memberChannel();
    // The member was added to the team, not to the owner's channel, so cannot post there.
    await expectError(
        member.client.upsertDraft({ channel_id: channel.id, root_id: '', message: 'x' }, ''),
        403,
        'api.context.permissions.app_error',
    );
    assert.deepEqual(await member.client.getUserDrafts(team.id), []);
});

test('scheduled posts: create, list, update, delete', async () => {
    const { owner, team, channel } = await memberChannel();
    const at = Date.now() + HOUR;
    const { data: created } = await owner.client.createScheduledPost(
        { channel_id: channel.id, message: 'later', scheduled_at: at },
        '',
    );
    assert.equal(created.id.length, 26);
    assert.equal(created.scheduled_at, at);
    assert.equal(created.error_code, '');

    const { data: lists } = await owner.client.getScheduledPosts(team.id, true);
    assert.deepEqual(lists[team.id].map((p) => p.message), ['later']);
    assert.deepEqual(lists.directChannels, []);

    const { data: updated } = await owner.client.updateScheduledPost(
        { ...created, message: 'even later', scheduled_at: at + HOUR },
        '',
    );
    assert.equal(updated.message, 'even later');
    assert.equal(updated.scheduled_at, at + HOUR);

    const { data: deleted } = await owner.client.deleteScheduledPost(owner.user.id, created.id, '');
    assert.equal(deleted.id, created.id);
    const { data: after } = await owner.client.getScheduledPosts(team.id, false);
    assert.deepEqual(after, { [team.id]: [] });

    await expectError(
        owner.client.createScheduledPost({ channel_id: channel.id, message: 'past', scheduled_at: 1 }, ''),
        400,
        'model.scheduled_post.is_valid.scheduled_at.app_error',
    );
});

test('channel bookmarks: create, list, edit, sort, delete', async () => {
    const { owner, channel } = await memberChannel();
    const docs = await owner.client.createChannelBookmark(
        channel.id,
        { display_name: 'docs', type: 'link', link_url: 'https://example.com/docs' },
        '',
    );
    assert.equal(docs.channel_id, channel.id);
    assert.equal(docs.sort_order, 0);
    const wiki = await owner.client.createChannelBookmark(
        channel.id,
        { display_name: 'wiki', type: 'link', link_url: 'https://example.com/wiki' },
        '',
    );
    assert.equal(wiki.sort_order, 1);

    const { updated } = await owner.client.updateChannelBookmark(channel.id, docs.id, { display_name: 'manual' }, '');
    assert.equal(updated.display_name, 'manual');

    const sorted = await owner.client.updateChannelBookmarkSortOrder(channel.id, wiki.id, 0, '');
    assert.deepEqual(sorted.map((b) => b.display_name), ['wiki', 'manual']);

    const deleted = await owner.client.deleteChannelBookmark(channel.id, wiki.id, '');
    assert.ok(deleted.delete_at > 0);
    const listed = await owner.client.getChannelBookmarks(channel.id);
    assert.deepEqual(listed.map((b) => b.display_name), ['manual']);

    await expectError(
        owner.client.createChannelBookmark(channel.id, { display_name: 'bad', type: 'link', link_url: 'nope' }, ''),
        400,
        'model.channel_bookmark.is_valid.link_url.missing_or_invalid.app_error',
    );
});
