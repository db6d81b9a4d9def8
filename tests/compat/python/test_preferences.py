"""Preferences: save, read back (all, by category, one), delete."""

from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from conftest import unique


def pref(user, category, name, value):
    return {"user_id": user["id"], "category": category, "name": name, "value": value}


def test_save_get_and_delete_preferences(user_factory, expect_error):
    driver, user = user_factory()
    category = unique("compat_")
    theme = pref(user, category, "theme", "dark")
    sidebar = pref(user, category, "sidebar", "compact")

    assert driver.preferences.save_user_preferences(user["id"], options=[theme, sidebar]) == {"status": "OK"}

    everything = driver.preferences.get_user_preferences(user["id"])
    assert theme in everything and sidebar in everything
    by_category = driver.preferences.list_user_preferences_by_category(user["id"], category)
    assert sorted(by_category, key=lambda p: p["name"]) == [sidebar, theme]
    assert driver.preferences.get_specific_user_preference(user["id"], category, "theme") == theme

    # Saving the same key again overwrites the value.
    theme["value"] = "light"
    driver.preferences.save_user_preferences(user["id"], options=[theme])
    assert driver.preferences.get_specific_user_preference(user["id"], category, "theme")["value"] == "light"

    assert driver.preferences.delete_user_preferences(user["id"], options=[theme]) == {"status": "OK"}
    remaining = driver.preferences.list_user_preferences_by_category(user["id"], category)
    assert remaining == [sidebar]
    # Mattermost answers a missing single preference with 400 and an empty category with 404.
    expect_error(
        lambda: driver.preferences.get_specific_user_preference(user["id"], category, "theme"),
        InvalidOrMissingParameters,
        400,
        "app.preference.get.app_error",
    )
    driver.preferences.delete_user_preferences(user["id"], options=[sidebar])
    expect_error(
        lambda: driver.preferences.list_user_preferences_by_category(user["id"], category),
        ResourceNotFound,
        404,
        "api.preference.preferences_category.get.app_error",
    )


def test_new_user_has_mattermost_default_preferences(user_factory):
    driver, user = user_factory()
    categories = {(p["category"], p["name"]) for p in driver.preferences.get_user_preferences(user["id"])}
    assert ("tutorial_step", user["id"]) in categories, categories
    assert ("recommended_next_steps", "hide") in categories, categories


def test_cannot_touch_another_users_preferences(user_factory, expect_error):
    driver, _ = user_factory()
    _, other = user_factory()
    expect_error(
        lambda: driver.preferences.get_user_preferences(other["id"]),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        lambda: driver.preferences.save_user_preferences(
            other["id"], options=[pref(other, "compat", "x", "y")]
        ),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
