"""Collapsed reply threads: following by replying, the user's thread list, one thread, read,
unread, follow and unfollow. mattermostdriver has no threads endpoint, so the calls go through
its generic client (`driver.client.get/put/post/delete`)."""

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound


@pytest.fixture
def thread(team_with_members, channel_factory):
    """(author, replier, team, root, reply): a root by the owner and a reply mentioning them."""
    (author, author_user), [(replier, replier_user)], team = team_with_members(1)
    channel = channel_factory(author, team["id"])
    author.channels.add_user(channel["id"], options={"user_id": replier_user["id"]})
    root = author.posts.create_post(options={"channel_id": channel["id"], "message": "root"})
    reply = replier.posts.create_post(
        options={
            "channel_id": channel["id"],
            "root_id": root["id"],
            "message": f"@{author_user['username']} have a look",
        }
    )
    return author, replier, team, root, reply


def threads_of(driver, team_id, **params):
    return driver.client.get(f"/users/me/teams/{team_id}/threads", params=params)


def test_a_reply_lists_the_thread_for_both(thread):
    author, replier, team, root, reply = thread
    listed = threads_of(author, team["id"])
    assert listed["total"] == 1
    assert listed["total_unread_threads"] == 1
    assert listed["total_unread_mentions"] == 1
    one = listed["threads"][0]
    assert one["id"] == root["id"]
    assert one["reply_count"] == 1
    assert one["unread_replies"] == 1 and one["unread_mentions"] == 1
    assert one["post"]["id"] == root["id"]
    assert one["last_reply_at"] == reply["create_at"]
    # The replier follows too, having read their own reply.
    theirs = threads_of(replier, team["id"])
    assert theirs["threads"][0]["unread_replies"] == 0
    assert threads_of(author, team["id"], totalsOnly="true")["threads"] == []


def test_read_unread_follow_and_unfollow(thread):
    author, _, team, root, reply = thread
    base = f"/users/me/teams/{team['id']}/threads/{root['id']}"
    read = author.client.put(f"{base}/read/{reply['create_at']}")
    assert read["unread_replies"] == 0 and read["unread_mentions"] == 0
    unread = author.client.post(f"{base}/set_unread/{reply['id']}")
    assert unread["unread_replies"] == 1 and unread["unread_mentions"] == 1
    assert author.client.delete(f"{base}/following") == {"status": "OK"}
    assert threads_of(author, team["id"])["total"] == 0
    assert author.client.put(f"{base}/following") == {"status": "OK"}
    fetched = author.client.get(base, params={"extended": "true"})
    assert fetched["unread_replies"] == 0
    assert fetched["participants"][0]["id"] == reply["user_id"]
    assert author.client.put(f"/users/me/teams/{team['id']}/threads/read") == {"status": "OK"}


def test_refusals(thread, user_factory, expect_error):
    author, replier, team, root, _ = thread
    _, replier_user = replier, replier.users.get_user("me")
    expect_error(
        lambda: author.client.get(f"/users/{replier_user['id']}/teams/{team['id']}/threads"),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        lambda: threads_of(author, team["id"], before=root["id"], after=root["id"]),
        InvalidOrMissingParameters,
        400,
        "api.getThreadsForUser.bad_params",
    )
    outsider, _ = user_factory()
    author.teams.add_user_to_team(
        team["id"], options={"team_id": team["id"], "user_id": outsider.users.get_user("me")["id"]}
    )
    expect_error(
        lambda: outsider.client.get(f"/users/me/teams/{team['id']}/threads/{root['id']}"),
        ResourceNotFound,
        404,
        "app.user.get_thread_membership_for_user.not_found",
    )
