"""Drafts, scheduled posts and channel bookmarks.

mattermostdriver 7.3.2 predates these endpoints, so the tests call them through the driver's
own HTTP client (authentication, base path and error mapping included).
"""

import time

import requests

from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions

HOUR = 3600 * 1000


def now_ms():
    return int(time.time() * 1000)


def member_channel(team_with_members, channel_factory):
    (owner, owner_user), members, team = team_with_members(1)
    channel = channel_factory(owner, team["id"])
    return owner, owner_user, members[0], team, channel


def test_drafts_upsert_list_and_delete(team_with_members, channel_factory, expect_error):
    owner, owner_user, (member, _), team, channel = member_channel(team_with_members, channel_factory)
    saved = owner.client.post("/drafts", options={"channel_id": channel["id"], "root_id": "", "message": "draft"})
    assert saved["user_id"] == owner_user["id"]
    assert saved["message"] == "draft"

    listed = owner.client.get(f"/users/me/teams/{team['id']}/drafts")
    assert [d["message"] for d in listed] == ["draft"]
    # The other member of the team sees none of them, and may not draft in a channel they are not in.
    assert member.client.get(f"/users/me/teams/{team['id']}/drafts") == []
    expect_error(
        lambda: member.client.post("/drafts", options={"channel_id": channel["id"], "message": "x"}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )

    assert owner.client.delete(f"/users/me/channels/{channel['id']}/drafts") == {"status": "OK"}
    assert owner.client.get(f"/users/me/teams/{team['id']}/drafts") == []


def test_scheduled_posts(team_with_members, channel_factory, expect_error):
    owner, _, _, team, channel = member_channel(team_with_members, channel_factory)
    at = now_ms() + HOUR
    created = owner.client.post(
        "/posts/schedule", options={"channel_id": channel["id"], "message": "later", "scheduled_at": at}
    )
    assert created["scheduled_at"] == at and created["error_code"] == ""

    lists = owner.client.get(f"/posts/scheduled/team/{team['id']}", params={"includeDirectChannels": "true"})
    assert [p["message"] for p in lists[team["id"]]] == ["later"]
    assert lists["directChannels"] == []

    updated = owner.client.put(
        f"/posts/schedule/{created['id']}", options={**created, "message": "even later"}
    )
    assert updated["message"] == "even later"
    deleted = owner.client.delete(f"/posts/schedule/{created['id']}")
    assert deleted["id"] == created["id"]

    expect_error(
        lambda: owner.client.post(
            "/posts/schedule", options={"channel_id": channel["id"], "message": "", "scheduled_at": at}
        ),
        InvalidOrMissingParameters,
        400,
        "model.scheduled_post.is_valid.empty_post.app_error",
    )


def test_channel_bookmarks(team_with_members, channel_factory, expect_error):
    owner, _, (member, _), _, channel = member_channel(team_with_members, channel_factory)
    path = f"/channels/{channel['id']}/bookmarks"
    docs = owner.client.post(path, options={"display_name": "docs", "type": "link", "link_url": "https://example.com"})
    assert docs["sort_order"] == 0 and docs["type"] == "link"
    wiki = owner.client.post(path, options={"display_name": "wiki", "type": "link", "link_url": "https://example.org"})

    # The driver knows no PATCH; the same request through requests, with the driver's token.
    patched = requests.patch(
        f"{owner.client.url}{path}/{docs['id']}",
        json={"display_name": "manual"},
        headers={"Authorization": f"Bearer {owner.client.token}"},
        timeout=15,
    ).json()
    assert patched["updated"]["display_name"] == "manual"
    sorted_list = owner.client.post(f"{path}/{wiki['id']}/sort_order", data="0")
    assert [b["display_name"] for b in sorted_list] == ["wiki", "manual"]
    owner.client.delete(f"{path}/{wiki['id']}")
    # A public channel's team members may read the bookmarks, not add any.
    assert [b["display_name"] for b in member.client.get(path)] == ["manual"]
    expect_error(
        lambda: member.client.post(path, options={"display_name": "x", "type": "link", "link_url": "https://x.org"}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )


def test_the_client_config_offers_synced_drafts_and_scheduled_posts(user_factory):
    driver, _ = user_factory()
    config = driver.client.get("/config/client", params={"format": "old"})
    assert config["AllowSyncedDrafts"] == "true"
    assert config["ScheduledPosts"] == "true"
