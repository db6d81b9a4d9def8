"""The WebSocket through mattermostdriver's `init_websocket`: hello, posts, privacy, typing,
membership events."""

import json

import pytest

from realtime import post_of


@pytest.fixture
def room(team_with_members, channel_factory):
    """A public channel shared by its creator (`poster`), `reader` and `third`, in one team.

    Returns a dict with the (driver, user) pairs, the team and the channel.
    """
    poster, (reader, third), team = team_with_members(2)
    channel = channel_factory(poster[0], team["id"])
    for _, user in (reader, third):
        poster[0].channels.add_user(channel["id"], options={"user_id": user["id"]})
    return {"poster": poster, "reader": reader, "third": third, "team": team, "channel": channel}


def say(driver, channel_id, message):
    return driver.posts.create_post(options={"channel_id": channel_id, "message": message})


def test_hello_after_authentication_challenge(user_factory, listen):
    driver, user = user_factory()
    listener = listen(driver)
    hello = listener.wait_for_event("hello")
    assert hello["seq"] == 0, hello
    assert len(hello["data"]["connection_id"]) == 26, hello
    assert isinstance(hello["data"]["server_version"], str) and hello["data"]["server_version"]
    assert hello["broadcast"]["user_id"] == user["id"], hello
    # The driver's authentication_challenge (seq 1) is answered with OK.
    reply = listener.wait_for(lambda m: m.get("seq_reply") == 1, "authentication reply")
    assert reply["status"] == "OK", reply


def test_post_by_another_user_arrives_as_posted(room, listen):
    (poster, poster_user), (reader, reader_user) = room["poster"], room["reader"]
    channel, team = room["channel"], room["team"]
    listener = listen(reader)

    plain = say(poster, channel["id"], "plain words")
    mention = say(poster, channel["id"], f"hello @{reader_user['username']}")

    event = listener.wait_for_post(plain["id"])
    assert event["broadcast"]["channel_id"] == channel["id"], event
    assert isinstance(event["seq"], int) and event["seq"] > 0, event
    data = event["data"]
    assert post_of(event)["message"] == "plain words"
    assert post_of(event)["user_id"] == poster_user["id"]
    assert post_of(event)["channel_id"] == channel["id"]
    assert data["channel_type"] == "O", data
    assert data["channel_name"] == channel["name"], data
    assert data["channel_display_name"] == channel["display_name"], data
    assert data["sender_name"] == f"@{poster_user['username']}", data
    assert data["team_id"] == team["id"], data
    assert "mentions" not in data, f"no mention of the reader in a plain post: {data}"

    mentioned = listener.wait_for_post(mention["id"])
    assert mentioned["seq"] > event["seq"], "posted events arrive in the order of the posts"
    # `mentions` is a JSON string holding only the recipient's own id.
    assert json.loads(mentioned["data"]["mentions"]) == [reader_user["id"]], mentioned["data"]


def test_mention_is_only_in_the_mentioned_users_copy(room, listen):
    (poster, _), (reader, reader_user), (third, _) = room["poster"], room["reader"], room["third"]
    channel = room["channel"]
    reader_listener, third_listener = listen(reader), listen(third)

    mention = say(poster, channel["id"], f"@{reader_user['username']} look")

    assert "mentions" in reader_listener.wait_for_post(mention["id"])["data"]
    third_copy = third_listener.wait_for_post(mention["id"])
    assert "mentions" not in third_copy["data"], third_copy["data"]


def test_edit_and_delete_arrive(room, listen):
    (poster, _), (reader, _) = room["poster"], room["reader"]
    channel = room["channel"]
    listener = listen(reader)

    created = say(poster, channel["id"], "first draft")
    poster.posts.patch_post(created["id"], options={"message": "second draft"})
    poster.posts.delete_post(created["id"])

    edited = listener.wait_for_event("post_edited", channel_id=channel["id"])
    assert post_of(edited)["id"] == created["id"]
    assert post_of(edited)["message"] == "second draft"
    assert post_of(edited)["edit_at"] > 0, post_of(edited)

    deleted = listener.wait_for_event("post_deleted", channel_id=channel["id"])
    assert post_of(deleted)["id"] == created["id"]
    assert post_of(deleted)["channel_id"] == channel["id"]

    seqs = [e["seq"] for e in listener.events]
    assert seqs == list(range(len(seqs))), f"seq is consecutive from 0: {seqs}"
    names = [e["event"] for e in listener.events if e["event"].startswith("post")]
    assert names == ["posted", "post_edited", "post_deleted"], names


def test_private_channel_post_does_not_reach_non_member(room, listen, channel_factory):
    (poster, _), (reader, _), (third, third_user) = room["poster"], room["reader"], room["third"]
    closed = channel_factory(poster, room["team"]["id"], "P")
    poster.channels.add_user(closed["id"], options={"user_id": third_user["id"]})
    outsider, member = listen(reader), listen(third)

    secret = say(poster, closed["id"], "members only")
    sentinel = say(poster, room["channel"]["id"], "everyone")

    # The private channel's member gets it, so the event exists ...
    got = member.wait_for_post(secret["id"])
    assert got["data"]["channel_type"] == "P", got["data"]
    # ... and the non-member, who gets the later post, never got anything of that channel.
    arrived = outsider.wait_for_post(sentinel["id"])
    leaked = [
        e
        for e in outsider.events_before(arrived)
        if e["broadcast"].get("channel_id") == closed["id"] or closed["id"] in json.dumps(e["data"])
    ]
    assert leaked == [], leaked


def test_typing_from_another_user(room, listen):
    (poster, poster_user), (reader, _) = room["poster"], room["reader"]
    channel = room["channel"]
    typist, watcher = listen(poster), listen(reader)

    reply = typist.send("user_typing", {"channel_id": channel["id"], "parent_id": ""})
    assert reply["status"] == "OK", reply

    typing = watcher.wait_for_event("typing", channel_id=channel["id"])
    assert typing["data"]["user_id"] == poster_user["id"], typing
    assert typing["data"]["parent_id"] == "", typing

    # The typist does not hear its own typing: a post published afterwards arrives first.
    sentinel = say(poster, channel["id"], "done typing")
    arrived = typist.wait_for_post(sentinel["id"])
    assert [e for e in typist.events_before(arrived) if e["event"] == "typing"] == []


def test_typing_in_a_channel_of_others_is_refused(room, listen, channel_factory):
    (poster, _), (reader, _) = room["poster"], room["reader"]
    closed = channel_factory(poster, room["team"]["id"], "P")
    reply = listen(reader).send("user_typing", {"channel_id": closed["id"], "parent_id": ""})
    assert reply["status"] == "FAIL", reply
    assert reply["error"]["id"] == "api.context.permissions.app_error", reply


def test_membership_events_and_a_removed_user_stops_receiving(room, listen, channel_factory):
    (owner, owner_user), (joiner, joiner_user) = room["poster"], room["reader"]
    team = room["team"]
    channel = channel_factory(owner, team["id"])
    owner_listener, joiner_listener = listen(owner), listen(joiner)

    owner.channels.add_user(channel["id"], options={"user_id": joiner_user["id"]})
    for listener in (owner_listener, joiner_listener):
        added = listener.wait_for_event(
            "user_added", channel_id=channel["id"], user_id=joiner_user["id"]
        )
        assert added["data"]["team_id"] == team["id"], added

    welcome = say(owner, channel["id"], "welcome")
    joiner_listener.wait_for_post(welcome["id"])

    owner.channels.remove_channel_member(channel["id"], joiner_user["id"])
    # The removed user gets a copy addressed to them, naming the channel (the webapp leaves the
    # channel when broadcast.user_id is its own id) ...
    removed = joiner_listener.wait_for(
        lambda m: m.get("event") == "user_removed"
        and m["broadcast"]["user_id"] == joiner_user["id"],
        "user_removed addressed to the removed user",
    )
    assert removed["data"]["channel_id"] == channel["id"], removed
    assert removed["data"]["remover_id"] == owner_user["id"], removed
    # ... and the channel hears who left.
    seen = owner_listener.wait_for_event("user_removed", user_id=joiner_user["id"])
    assert seen["broadcast"]["channel_id"] == channel["id"], seen
    assert seen["data"]["remover_id"] == owner_user["id"], seen

    after = say(owner, channel["id"], "after the removal")
    sentinel = say(owner, room["channel"]["id"], "still here")
    owner_copy = owner_listener.wait_for_post(after["id"])
    assert owner_copy["broadcast"]["channel_id"] == channel["id"]
    arrived = joiner_listener.wait_for_post(sentinel["id"])
    since_removal = joiner_listener.events_before(arrived)
    since_removal = since_removal[since_removal.index(removed) :]
    posts_there = [
        post_of(e)
        for e in since_removal
        if e["event"] == "posted" and e["broadcast"].get("channel_id") == channel["id"]
    ]
    assert posts_there == [], "nothing of the channel after the removal"
