"""Post extras: saved posts through the driver, acknowledgements, edit history and restore
through its generic client, and ephemeral posts."""

import time

from mattermostdriver.exceptions import NotEnoughPermissions


def shared_channel(team_with_members, channel_factory):
    """(owner, member, channel): a public channel with its creator and one more member."""
    owner, members, team = team_with_members(1)
    member = members[0]
    channel = channel_factory(owner[0], team["id"])
    owner[0].channels.add_user(channel["id"], options={"user_id": member[1]["id"]})
    return owner, member, channel


def post(driver, channel_id, message, **extra):
    created = driver.posts.create_post(options={"channel_id": channel_id, "message": message, **extra})
    time.sleep(0.005)
    return created


def save(driver, user, post_id):
    driver.preferences.save_user_preferences(
        user["id"],
        options=[{"user_id": user["id"], "category": "flagged_post", "name": post_id, "value": "true"}],
    )


def test_saved_posts(team_with_members, channel_factory, user_factory, expect_error):
    (owner, owner_user), (member, member_user), channel = shared_channel(team_with_members, channel_factory)
    first = post(owner, channel["id"], "first")
    post(owner, channel["id"], "not saved")
    second = post(owner, channel["id"], "second")
    for p in (first, second):
        save(member, member_user, p["id"])

    saved = member.posts.get_list_of_flagged_posts(member_user["id"])
    assert saved["order"] == [second["id"], first["id"]]
    assert saved["posts"][first["id"]]["message"] == "first"
    in_channel = member.posts.get_list_of_flagged_posts(
        member_user["id"], params={"channel_id": channel["id"], "per_page": 1, "page": 1}
    )
    assert in_channel["order"] == [first["id"]]

    stranger, _ = user_factory()
    expect_error(
        lambda: stranger.posts.get_list_of_flagged_posts(member_user["id"]),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )


def test_acknowledgements(team_with_members, channel_factory):
    (owner, _), (member, member_user), channel = shared_channel(team_with_members, channel_factory)
    asking = post(
        owner,
        channel["id"],
        "please confirm",
        metadata={"priority": {"priority": "important", "requested_ack": True}},
    )
    assert asking["metadata"]["priority"]["requested_ack"] is True

    ack = member.client.post(f"/users/{member_user['id']}/posts/{asking['id']}/ack")
    assert ack["user_id"] == member_user["id"] and ack["post_id"] == asking["id"]
    assert ack["acknowledged_at"] > 0
    read = owner.posts.get_post(asking["id"])
    assert read["metadata"]["acknowledgements"] == [ack]
    assert read["metadata"]["priority"]["priority"] == "important"

    assert member.client.delete(f"/users/me/posts/{asking['id']}/ack") == {"status": "OK"}
    assert "acknowledgements" not in owner.posts.get_post(asking["id"])["metadata"]


def test_edit_history_and_restore(user_factory, team_factory, channel_factory):
    driver, _ = user_factory()
    team = team_factory(driver)
    channel = channel_factory(driver, team["id"])
    original = post(driver, channel["id"], "original")
    driver.posts.patch_post(original["id"], options={"message": "edited"})

    history = driver.client.get(f"/posts/{original['id']}/edit_history")
    assert [v["message"] for v in history] == ["original"]
    assert history[0]["original_id"] == original["id"]

    restored = driver.client.post(f"/posts/{original['id']}/restore/{history[0]['id']}")
    assert restored["message"] == "original"
    assert driver.posts.get_post(original["id"])["message"] == "original"


def test_ephemeral_posts(first_user, team_with_members, channel_factory, expect_error):
    admin, _ = first_user
    (owner, _), (member, member_user), channel = shared_channel(team_with_members, channel_factory)
    sent = admin.posts.create_ephemeral_post(
        options={"user_id": member_user["id"], "post": {"channel_id": channel["id"], "message": "psst"}}
    )
    assert sent["type"] == "system_ephemeral" and sent["message"] == "psst"
    expect_error(
        lambda: owner.posts.create_ephemeral_post(
            options={"user_id": member_user["id"], "post": {"channel_id": channel["id"], "message": "no"}}
        ),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
