"""Sidebar categories through mattermostdriver's HTTP client: the defaults, a custom category,
updates, order, favourites kept in step with the preferences, deletion; and the start-up calls
for groups and the system-wide channel search."""

from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions

from conftest import unique


def categories_path(user_id, team_id):
    return f"/users/{user_id}/teams/{team_id}/channels/categories"


def by_type(listed, category_type):
    return next(c for c in listed["categories"] if c["type"] == category_type)


def test_categories_round_trip(team_with_members, channel_factory, expect_error):
    (driver, user), [(_, other)], team = team_with_members(1)
    channel = channel_factory(driver, team["id"])
    path = categories_path(user["id"], team["id"])

    listed = driver.client.get(path)
    assert [c["type"] for c in listed["categories"]] == ["favorites", "channels", "direct_messages"]
    assert listed["order"] == [c["id"] for c in listed["categories"]]
    assert listed["order"][0] == f"favorites_{user['id']}_{team['id']}"
    assert channel["id"] in by_type(listed, "channels")["channel_ids"]

    made = driver.client.post(
        path,
        options={
            "user_id": user["id"],
            "team_id": team["id"],
            "display_name": unique("Work "),
            "channel_ids": [channel["id"]],
        },
    )
    assert made["type"] == "custom" and made["channel_ids"] == [channel["id"]]
    assert driver.client.get(f"{path}/{made['id']}") == made

    # Renaming and collapsing through the many-categories update.
    made["display_name"] = "Renamed"
    made["collapsed"] = True
    updated = driver.client.put(path, options=[made])
    assert updated[0]["display_name"] == "Renamed" and updated[0]["collapsed"] is True

    order = driver.client.get(f"{path}/order")
    assert order[1] == made["id"]
    order.reverse()
    assert driver.client.put(f"{path}/order", options=order) == order

    # Moving the channel into Favorites writes the preference.
    favorites = by_type(driver.client.get(path), "favorites")
    favorites["channel_ids"] = [channel["id"]]
    made["channel_ids"] = []
    driver.client.put(path, options=[favorites, made])
    preference = driver.preferences.get_specific_user_preference(
        user["id"], "favorite_channel", channel["id"]
    )
    assert preference["value"] == "true"

    assert driver.client.delete(f"{path}/{made['id']}") == {"status": "OK"}
    expect_error(
        lambda: driver.client.delete(f"{path}/{favorites['id']}"),
        InvalidOrMissingParameters,
        400,
        "app.channel.sidebar_categories.app_error",
    )
    # Someone else's categories are refused.
    expect_error(
        lambda: driver.client.get(categories_path(other["id"], team["id"])),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )


def test_groups_and_the_system_wide_channel_search(first_user, team_factory, channel_factory, expect_error):
    admin, _ = first_user
    assert admin.client.get("/groups") == []
    assert admin.client.get("/groups", params={"include_total_count": "true"}) == {
        "groups": [],
        "total_count": 0,
    }
    team = team_factory(admin)
    channel = channel_factory(admin, team["id"])
    found = admin.client.post(
        "/channels/search", options={"term": channel["name"], "page": 0, "per_page": 10}
    )
    assert found["total_count"] == 1
    assert found["channels"][0]["id"] == channel["id"]
    assert found["channels"][0]["team_name"] == team["name"]
