"""Reactions through mattermostdriver: save, list, delete, the bulk read, the reaction events,
and the refusals Mattermost answers."""

from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions


def shared_post(team_with_members, channel_factory):
    """A post in a public channel that the owner and one member share; an outsider too."""
    (owner, owner_user), ((member, member_user), (outsider, _)), team = team_with_members(2)
    channel = channel_factory(owner, team["id"])
    owner.channels.add_user(channel["id"], options={"user_id": member_user["id"]})
    post = owner.posts.create_post(options={"channel_id": channel["id"], "message": "react to me"})
    return owner, owner_user, member, member_user, outsider, post


def test_save_list_and_delete(team_with_members, channel_factory, listen):
    owner, owner_user, member, member_user, _, post = shared_post(team_with_members, channel_factory)
    events = listen(owner)
    saved = member.reactions.create_reaction(
        options={"user_id": member_user["id"], "post_id": post["id"], "emoji_name": "tada"}
    )
    assert saved["user_id"] == member_user["id"] and saved["emoji_name"] == "tada"
    added = events.wait_for_event("reaction_added", channel_id=post["channel_id"])
    assert '"emoji_name":"tada"' in added["data"]["reaction"]

    owner.reactions.create_reaction(
        options={"user_id": owner_user["id"], "post_id": post["id"], "emoji_name": "+1"}
    )
    listed = owner.reactions.get_reactions_of_post(post["id"])
    assert sorted(r["emoji_name"] for r in listed) == ["+1", "tada"]
    assert owner.posts.get_post(post["id"])["has_reactions"] is True

    bulk = owner.client.post("/posts/ids/reactions", options=[post["id"]])
    assert sorted(r["emoji_name"] for r in bulk[post["id"]]) == ["+1", "tada"]

    member.reactions.delete_reaction(member_user["id"], post["id"], "tada")
    events.wait_for_event("reaction_removed", channel_id=post["channel_id"])
    assert [r["emoji_name"] for r in owner.reactions.get_reactions_of_post(post["id"])] == ["+1"]


def test_refusals(team_with_members, channel_factory, expect_error):
    owner, owner_user, member, member_user, outsider, post = shared_post(team_with_members, channel_factory)
    # A reaction is saved only for oneself.
    expect_error(
        lambda: member.reactions.create_reaction(
            options={"user_id": owner_user["id"], "post_id": post["id"], "emoji_name": "tada"}
        ),
        NotEnoughPermissions,
        403,
        "api.reaction.save_reaction.user_id.app_error",
    )
    # A team member outside the channel may not react in it.
    outsider_id = outsider.users.get_user("me")["id"]
    expect_error(
        lambda: outsider.reactions.create_reaction(
            options={"user_id": outsider_id, "post_id": post["id"], "emoji_name": "tada"}
        ),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        lambda: member.reactions.create_reaction(
            options={"user_id": member_user["id"], "post_id": post["id"], "emoji_name": ""}
        ),
        InvalidOrMissingParameters,
        400,
        "api.reaction.save_reaction.invalid.app_error",
    )
