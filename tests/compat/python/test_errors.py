"""The driver raises the right exception, and the body carries Mattermost's error id."""

from mattermostdriver.exceptions import (
    InvalidOrMissingParameters,
    NoAccessTokenProvided,
    NotEnoughPermissions,
    ResourceNotFound,
)

from conftest import new_driver

UNKNOWN_ID = "a" * 26


def test_unknown_channel_is_404(user_factory, expect_error):
    driver, _ = user_factory()
    expect_error(
        lambda: driver.channels.get_channel(UNKNOWN_ID),
        ResourceNotFound,
        404,
        "app.channel.get.existing.app_error",
    )


def test_malformed_channel_id_is_400(user_factory, expect_error):
    driver, _ = user_factory()
    expect_error(
        lambda: driver.channels.get_channel("tooshort"),
        InvalidOrMissingParameters,
        400,
        "api.context.invalid_url_param.app_error",
    )


def test_private_channel_of_others_is_403(team_with_members, channel_factory, expect_error):
    (owner, _), [(outsider, _)], team = team_with_members(1)
    private = channel_factory(owner, team["id"], "P")
    expect_error(
        lambda: outsider.channels.get_channel(private["id"]),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )


def test_unknown_post_is_404(user_factory, expect_error):
    driver, _ = user_factory()
    expect_error(
        lambda: driver.posts.get_post(UNKNOWN_ID), ResourceNotFound, 404, "app.post.get.app_error"
    )


def test_unknown_team_is_404(user_factory, expect_error):
    driver, _ = user_factory()
    expect_error(
        lambda: driver.teams.get_team(UNKNOWN_ID), ResourceNotFound, 404, "app.team.get.find.app_error"
    )


def test_no_token_is_401(expect_error):
    expect_error(
        lambda: new_driver().users.get_user("me"),
        NoAccessTokenProvided,
        401,
        "api.context.session_expired.app_error",
    )


def test_token_is_dead_after_logout(user_factory, expect_error):
    driver, _ = user_factory()
    token = driver.client.token
    assert driver.logout() == {"status": "OK"}
    assert driver.client.token == ""
    driver.client.token = token
    expect_error(
        lambda: driver.users.get_user("me"),
        NoAccessTokenProvided,
        401,
        "api.context.session_expired.app_error",
    )
