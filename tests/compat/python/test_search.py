"""Post search through mattermostdriver's `posts.search_for_team_posts`."""

import time

from conftest import unique
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions


def search_until(driver, team_id, options, want):
    """Searches until `want` posts are found: the index follows writes within moments."""
    deadline = time.time() + 15
    while True:
        found = driver.posts.search_for_team_posts(team_id, options=options)
        if len(found["order"]) >= want or time.time() > deadline:
            return found
        time.sleep(0.05)


def test_search_for_team_posts(team_with_members, channel_factory):
    (owner, owner_user), members, team = team_with_members(1)
    channel = channel_factory(owner, team["id"])
    word = unique("kw")
    mail = owner.posts.create_post(options={"channel_id": channel["id"], "message": f"write to {word}@example.com"})
    time.sleep(0.005)
    note = owner.posts.create_post(options={"channel_id": channel["id"], "message": f"{word} in a file_name.txt"})

    found = search_until(owner, team["id"], {"terms": word, "is_or_search": False}, 2)
    assert found["order"] == [note["id"], mail["id"]]
    assert found["matches"][mail["id"]] == [f"{word}@example.com"]
    by_address = owner.posts.search_for_team_posts(team["id"], options={"terms": f"{word}@example.com"})
    assert by_address["order"] == [mail["id"]]
    by_file = owner.posts.search_for_team_posts(team["id"], options={"terms": f"{word} file_name"})
    assert by_file["order"] == [note["id"]]
    quoted = owner.posts.search_for_team_posts(team["id"], options={"terms": f'"{word} in a"'})
    assert quoted["order"] == [note["id"]]
    mine = owner.posts.search_for_team_posts(
        team["id"], options={"terms": f"{word} from:{owner_user['username']} -in:{channel['name']}"}
    )
    assert mine["order"] == []

    # A team member outside the channel finds nothing.
    member, _ = members[0]
    assert member.posts.search_for_team_posts(team["id"], options={"terms": word})["order"] == []


def test_search_refusals(team_with_members, user_factory, expect_error):
    (owner, _), _, team = team_with_members(0)
    stranger, _ = user_factory()
    expect_error(
        lambda: stranger.posts.search_for_team_posts(team["id"], options={"terms": "anything"}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        lambda: owner.posts.search_for_team_posts(team["id"], options={"terms": ""}),
        InvalidOrMissingParameters,
        400,
        "api.context.invalid_body_param.app_error",
    )
