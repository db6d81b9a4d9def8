"""Teams, team members, channels, channel membership, direct and group messages."""

import hashlib

from mattermostdriver.exceptions import InvalidOrMissingParameters, ResourceNotFound


def roles_of(member):
    return set(member["roles"].split())


def test_create_team_makes_creator_team_admin(user_factory, team_factory, wire):
    driver, user = user_factory()
    team = team_factory(driver)
    assert wire.last.status_code == 201
    assert len(team["id"]) == 26
    assert team["type"] == "O"
    assert team["display_name"] == f"Team {team['name']}"
    assert driver.teams.get_team(team["id"])["name"] == team["name"]
    assert driver.teams.get_team_by_name(team["name"])["id"] == team["id"]

    member = driver.teams.get_team_member(team["id"], user["id"])
    assert member["user_id"] == user["id"]
    assert {"team_user", "team_admin"} <= roles_of(member), member
    assert team["id"] in [t["id"] for t in driver.teams.get_user_teams("me")]


def test_new_team_has_town_square_and_off_topic(user_factory, team_factory):
    driver, _ = user_factory()
    team = team_factory(driver)
    for name in ("town-square", "off-topic"):
        channel = driver.channels.get_channel_by_name(team["id"], name)
        assert channel["team_id"] == team["id"]
        assert channel["type"] == "O"


def test_add_member_to_team(user_factory, team_factory, wire):
    owner, _ = user_factory()
    member_driver, member = user_factory()
    team = team_factory(owner)

    added = owner.teams.add_user_to_team(
        team["id"], options={"team_id": team["id"], "user_id": member["id"]}
    )
    assert wire.last.status_code == 201
    assert added["team_id"] == team["id"] and added["user_id"] == member["id"]
    assert roles_of(added) == {"team_user"}, added

    members = owner.teams.get_team_members(team["id"], params={"page": 0, "per_page": 60})
    assert member["id"] in [m["user_id"] for m in members]
    assert team["id"] in [t["id"] for t in member_driver.teams.get_user_teams("me")]
    assert member_driver.teams.get_team(team["id"])["id"] == team["id"]


def test_create_public_and_private_channels(user_factory, team_factory, channel_factory, wire):
    driver, user = user_factory()
    team = team_factory(driver)

    public = channel_factory(driver, team["id"], "O")
    assert wire.last.status_code == 201
    private = channel_factory(driver, team["id"], "P")
    assert wire.last.status_code == 201

    assert public["type"] == "O" and private["type"] == "P"
    for channel in (public, private):
        assert channel["team_id"] == team["id"]
        assert channel["creator_id"] == user["id"]
        fetched = driver.channels.get_channel(channel["id"])
        assert fetched["name"] == channel["name"]
        member = driver.channels.get_channel_member(channel["id"], user["id"])
        assert {"channel_user", "channel_admin"} <= roles_of(member), member

    mine = {c["id"] for c in driver.channels.get_channels_for_user("me", team["id"])}
    assert {public["id"], private["id"]} <= mine
    listed = driver.channels.get_public_channels(team["id"])
    assert public["id"] in [c["id"] for c in listed]
    assert private["id"] not in [c["id"] for c in listed]


def test_channel_creation_posts_a_join_message(user_factory, team_factory, channel_factory):
    driver, user = user_factory()
    team = team_factory(driver)
    channel = channel_factory(driver, team["id"])
    posts = driver.posts.get_posts_for_channel(channel["id"])
    types = [(posts["posts"][pid]["type"], posts["posts"][pid]["user_id"]) for pid in posts["order"]]
    assert types == [("system_join_channel", user["id"])], types


def test_join_and_leave_public_channel(team_with_members, channel_factory, expect_error, wire):
    (owner, _), [(member_driver, member)], team = team_with_members(1)
    channel = channel_factory(owner, team["id"])

    joined = member_driver.channels.add_user(channel["id"], options={"user_id": member["id"]})
    assert wire.last.status_code == 201
    assert joined["channel_id"] == channel["id"] and joined["user_id"] == member["id"]
    assert member_driver.channels.get_channel_member(channel["id"], member["id"])["user_id"] == member["id"]
    members = owner.channels.get_channel_members(channel["id"])
    assert member["id"] in [m["user_id"] for m in members]

    left = member_driver.channels.remove_channel_member(channel["id"], member["id"])
    assert left == {"status": "OK"}
    expect_error(
        lambda: owner.channels.get_channel_member(channel["id"], member["id"]),
        ResourceNotFound,
        404,
        "app.channel.get_member.missing.app_error",
    )


def test_direct_message_channel(user_factory):
    driver, me = user_factory()
    other_driver, other = user_factory()
    dm = driver.channels.create_direct_message_channel([me["id"], other["id"]])
    assert dm["type"] == "D"
    assert dm["team_id"] == ""
    assert dm["name"] == "__".join(sorted([me["id"], other["id"]]))

    again = other_driver.channels.create_direct_message_channel([other["id"], me["id"]])
    assert again["id"] == dm["id"], "creating the same DM again returns the existing channel"
    assert other_driver.channels.get_channel(dm["id"])["id"] == dm["id"]


def test_group_message_channel(user_factory, expect_error):
    driver, me = user_factory()
    users = [me] + [user_factory()[1] for _ in range(2)]
    ids = [u["id"] for u in users]
    gm = driver.channels.create_group_message_channel(ids)
    assert gm["type"] == "G"
    assert gm["team_id"] == ""
    assert gm["name"] == hashlib.sha1("".join(sorted(ids)).encode()).hexdigest()
    assert gm["display_name"] == ", ".join(sorted(u["username"] for u in users))
    assert driver.channels.create_group_message_channel(list(reversed(ids)))["id"] == gm["id"]
    members = driver.channels.get_channel_members(gm["id"])
    assert sorted(m["user_id"] for m in members) == sorted(ids)

    expect_error(
        lambda: driver.channels.create_group_message_channel(ids[:2]),
        InvalidOrMissingParameters,
        400,
        "api.channel.create_group.bad_size.app_error",
    )


def test_join_and_leave_post_system_messages(team_with_members, channel_factory):
    (owner, _), [(member_driver, member)], team = team_with_members(1)
    channel = channel_factory(owner, team["id"])
    member_driver.channels.add_user(channel["id"], options={"user_id": member["id"]})
    member_driver.channels.remove_channel_member(channel["id"], member["id"])
    posts = owner.posts.get_posts_for_channel(channel["id"])
    newest = [(posts["posts"][pid]["type"], posts["posts"][pid]["user_id"]) for pid in posts["order"][:2]]
    assert newest == [
        ("system_leave_channel", member["id"]),
        ("system_join_channel", member["id"]),
    ], newest


def test_new_team_member_joins_default_channels(team_with_members):
    (owner, _), [(member_driver, member)], team = team_with_members(1)
    for name in ("town-square", "off-topic"):
        channel = owner.channels.get_channel_by_name(team["id"], name)
        assert member_driver.channels.get_channel_member(channel["id"], member["id"])["user_id"] == member["id"]
