"""Posts: create, reply, thread, edit, delete, and the channel post list with its cursors."""

import time

import pytest
from mattermostdriver.exceptions import NotEnoughPermissions, ResourceNotFound


@pytest.fixture
def channel(user_factory, team_factory, channel_factory):
    """(driver, user, channel): a user alone in a fresh public channel of a fresh team."""
    driver, user = user_factory()
    team = team_factory(driver)
    return driver, user, channel_factory(driver, team["id"])


def post(driver, channel_id, message, **extra):
    created = driver.posts.create_post(options={"channel_id": channel_id, "message": message, **extra})
    # Distinct create_at values keep the ordering assertions meaningful.
    time.sleep(0.005)
    return created


def user_order(post_list):
    """The ids in `order`, leaving out system messages (join/leave) the server adds itself."""
    return [pid for pid in post_list["order"] if post_list["posts"][pid]["type"] == ""]


def test_create_and_get_post(channel, wire):
    driver, user, chan = channel
    created = driver.posts.create_post(options={"channel_id": chan["id"], "message": "hello compat"})
    assert wire.last.status_code == 201
    assert len(created["id"]) == 26
    assert created["channel_id"] == chan["id"]
    assert created["user_id"] == user["id"]
    assert created["message"] == "hello compat"
    assert created["root_id"] == ""
    assert created["create_at"] > 0 and created["delete_at"] == 0

    fetched = driver.posts.get_post(created["id"])
    assert fetched["id"] == created["id"] and fetched["message"] == "hello compat"


def test_reply_and_get_thread(channel):
    driver, _, chan = channel
    root = post(driver, chan["id"], "root")
    first = post(driver, chan["id"], "first reply", root_id=root["id"])
    second = post(driver, chan["id"], "second reply", root_id=root["id"])
    post(driver, chan["id"], "unrelated")
    assert first["root_id"] == root["id"] and second["root_id"] == root["id"]

    thread = driver.posts.get_thread(root["id"])
    assert set(thread["order"]) == {root["id"], first["id"], second["id"]}
    assert set(thread["posts"]) == {root["id"], first["id"], second["id"]}
    assert thread["posts"][root["id"]]["reply_count"] == 2
    # Asking for the thread through a reply gives the same thread.
    assert set(driver.posts.get_thread(first["id"])["order"]) == set(thread["order"])


def test_patch_post(channel):
    driver, _, chan = channel
    created = post(driver, chan["id"], "before edit")
    patched = driver.posts.patch_post(created["id"], options={"message": "after edit"})
    assert patched["id"] == created["id"]
    assert patched["message"] == "after edit"
    assert patched["edit_at"] > 0
    assert patched["update_at"] >= created["update_at"]
    assert driver.posts.get_post(created["id"])["message"] == "after edit"


def test_delete_post(channel, expect_error):
    driver, _, chan = channel
    kept = post(driver, chan["id"], "kept")
    doomed = post(driver, chan["id"], "doomed")
    assert driver.posts.delete_post(doomed["id"]) == {"status": "OK"}
    expect_error(
        lambda: driver.posts.get_post(doomed["id"]), ResourceNotFound, 404, "app.post.get.app_error"
    )
    listed = driver.posts.get_posts_for_channel(chan["id"])
    assert user_order(listed) == [kept["id"]]


def test_channel_posts_page_and_per_page(channel):
    driver, _, chan = channel
    ids = [post(driver, chan["id"], f"message {i}")["id"] for i in range(5)]
    newest_first = list(reversed(ids))

    everything = driver.posts.get_posts_for_channel(chan["id"])
    assert user_order(everything) == newest_first
    assert set(everything["order"]) <= set(everything["posts"])

    page0 = driver.posts.get_posts_for_channel(chan["id"], params={"page": 0, "per_page": 2})
    page1 = driver.posts.get_posts_for_channel(chan["id"], params={"page": 1, "per_page": 2})
    assert page0["order"] == newest_first[0:2]
    assert page1["order"] == newest_first[2:4]
    # The last page holds the oldest message and the creator's join message.
    page2 = driver.posts.get_posts_for_channel(chan["id"], params={"page": 2, "per_page": 2})
    assert page2["order"][0] == newest_first[4]


def test_channel_posts_before_and_after(channel):
    driver, _, chan = channel
    ids = [post(driver, chan["id"], f"message {i}")["id"] for i in range(5)]

    before = driver.posts.get_posts_for_channel(
        chan["id"], params={"before": ids[2], "page": 0, "per_page": 2}
    )
    assert before["order"] == [ids[1], ids[0]]
    assert before["next_post_id"] == ids[2]

    after = driver.posts.get_posts_for_channel(
        chan["id"], params={"after": ids[2], "page": 0, "per_page": 2}
    )
    assert after["order"] == [ids[4], ids[3]]
    assert after["prev_post_id"] == ids[2]

    after_last = driver.posts.get_posts_for_channel(chan["id"], params={"after": ids[4]})
    assert after_last["order"] == []
    assert after_last["next_post_id"] == ""


def test_channel_posts_since(channel):
    driver, _, chan = channel
    old = post(driver, chan["id"], "old")
    anchor = post(driver, chan["id"], "anchor")
    time.sleep(0.01)
    new = post(driver, chan["id"], "new")
    driver.posts.patch_post(old["id"], options={"message": "old, edited"})

    since = driver.posts.get_posts_for_channel(chan["id"], params={"since": anchor["create_at"]})
    # Mattermost keeps the pre-edit version as a deleted copy (original_id = the edited post),
    # updated at edit time, so "since" returns it too and clients drop it by its delete_at.
    history = [
        pid
        for pid in since["order"]
        if since["posts"][pid]["delete_at"] > 0 and since["posts"][pid]["original_id"] == old["id"]
    ]
    assert len(history) == 1, since
    assert set(since["order"]) == {new["id"], old["id"], history[0]}
    assert since["posts"][old["id"]]["message"] == "old, edited"
    assert since["next_post_id"] == "" and since["prev_post_id"] == ""


def test_non_member_cannot_post_in_private_channel(
    team_with_members, channel_factory, expect_error
):
    (owner, _), [(outsider, _)], team = team_with_members(1)
    private = channel_factory(owner, team["id"], "P")
    expect_error(
        lambda: outsider.posts.create_post(options={"channel_id": private["id"], "message": "hi"}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
