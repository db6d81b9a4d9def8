"""Sign-up, login, the current user, and looking users up."""

from mattermostdriver.exceptions import InvalidOrMissingParameters, NoAccessTokenProvided

from conftest import PASSWORD, new_driver, unique


def roles_of(user):
    return set(user["roles"].split())


def test_system_ping(wire):
    status = new_driver().system.check_system_health()
    assert wire.last.status_code == 200
    assert status["status"] == "OK", status


def test_first_sign_up_becomes_system_admin(first_user):
    driver, user = first_user
    assert roles_of(user) == {"system_user", "system_admin"}, user
    assert not user.get("password"), "the password hash must never be returned"
    me = driver.users.get_user("me")
    assert roles_of(me) == {"system_user", "system_admin"}, me


def test_later_sign_up_is_a_plain_user(wire):
    username = unique("py")
    user = new_driver().users.create_user(
        options={"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    )
    assert wire.last.status_code == 201
    assert user["username"] == username
    assert user["email"] == f"{username}@example.com"
    assert len(user["id"]) == 26
    assert user["create_at"] > 0
    assert roles_of(user) == {"system_user"}, user
    assert not user.get("password")


def test_login_with_driver_defaults(user_factory, wire):
    """mattermostdriver sends {"login_id", "password", "token": null} unless mfa_token is set."""
    _, user = user_factory()
    driver = new_driver(login_id=user["username"], password=PASSWORD)
    assert driver.options["mfa_token"] is None
    assert driver.login()["id"] == user["id"]
    assert wire.last.status_code == 200


def test_login_takes_the_token_header(user_factory, wire):
    _, user = user_factory()
    driver = new_driver(login_id=user["username"], password=PASSWORD, mfa_token="")
    result = driver.login()
    assert wire.last.status_code == 200
    token = wire.last.headers.get("Token")
    assert token and driver.client.token == token
    assert result["id"] == user["id"]
    assert driver.client.userid == user["id"]
    assert driver.client.username == user["username"]
    assert not result.get("password")


def test_login_by_email(user_factory):
    _, user = user_factory()
    driver = new_driver(login_id=user["email"], password=PASSWORD, mfa_token="")
    assert driver.login()["id"] == user["id"]


def test_personal_token_option_logs_in_with_get_me(user_factory):
    driver, user = user_factory()
    token_driver = new_driver(token=driver.client.token)
    assert token_driver.login()["id"] == user["id"]


def test_get_me(user_factory):
    driver, user = user_factory()
    me = driver.users.get_user("me")
    assert me["id"] == user["id"]
    assert me["username"] == user["username"]
    assert me["email"] == user["email"]
    assert me["first_name"] == "Compat"
    assert not me.get("password")
    assert driver.users.get_user(user["id"])["id"] == user["id"]


def test_wrong_password_is_401(user_factory, expect_error):
    _, user = user_factory()
    driver = new_driver(login_id=user["username"], password="not-the-password", mfa_token="")
    expect_error(
        driver.login,
        NoAccessTokenProvided,
        401,
        "api.user.login.invalid_credentials_email_username",
    )


def test_duplicate_username_is_400(user_factory, expect_error):
    _, user = user_factory()
    expect_error(
        lambda: new_driver().users.create_user(
            options={
                "username": user["username"],
                "email": f"other-{user['username']}@example.com",
                "password": PASSWORD,
            }
        ),
        InvalidOrMissingParameters,
        400,
        "app.user.save.username_exists.app_error",
    )


def test_get_users_by_ids_and_usernames(user_factory):
    driver, me = user_factory()
    _, other = user_factory()
    by_ids = driver.users.get_users_by_ids(options=[me["id"], other["id"]])
    assert sorted(u["id"] for u in by_ids) == sorted([me["id"], other["id"]])
    by_names = driver.users.get_users_by_usernames(options=[me["username"], other["username"]])
    assert sorted(u["username"] for u in by_names) == sorted([me["username"], other["username"]])
    assert all(not u.get("password") for u in by_ids + by_names)


def test_get_user_by_username(user_factory):
    driver, _ = user_factory()
    _, other = user_factory()
    assert driver.users.get_user_by_username(other["username"])["id"] == other["id"]


def test_search_users_by_term_and_team(user_factory, team_factory):
    prefix = unique("srch")
    owner, owner_user = user_factory(prefix)
    _, in_team = user_factory(prefix)
    _, outside = user_factory(prefix)
    team = team_factory(owner)
    owner.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": in_team["id"]})

    everyone = owner.users.search_users(options={"term": prefix})
    assert {u["id"] for u in everyone} == {owner_user["id"], in_team["id"], outside["id"]}

    team_only = owner.users.search_users(options={"term": prefix, "team_id": team["id"]})
    assert {u["id"] for u in team_only} == {owner_user["id"], in_team["id"]}


def test_autocomplete_users_in_team_and_channel(user_factory, team_factory, channel_factory):
    prefix = unique("auto")
    owner, owner_user = user_factory(prefix)
    _, member = user_factory(prefix)
    team = team_factory(owner)
    owner.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member["id"]})
    channel = channel_factory(owner, team["id"])

    in_team = owner.users.autocomplete_users(params={"in_team": team["id"], "name": prefix})
    assert {u["id"] for u in in_team["users"]} == {owner_user["id"], member["id"]}

    in_channel = owner.users.autocomplete_users(
        params={"in_team": team["id"], "in_channel": channel["id"], "name": prefix}
    )
    assert [u["id"] for u in in_channel["users"]] == [owner_user["id"]]
    assert [u["id"] for u in in_channel["out_of_channel"]] == [member["id"]]

    anywhere = owner.users.autocomplete_users(params={"name": prefix})
    assert {u["id"] for u in anywhere["users"]} == {owner_user["id"], member["id"]}
