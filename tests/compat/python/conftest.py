"""Fixtures for driving a running Utmost server with Mattermost's `mattermostdriver`.

The server URL comes from UTMOST_URL (e.g. http://127.0.0.1:8065). Every test signs up users and
creates teams of its own with unique names, so tests never depend on each other; only the very
first sign-up (done once per session, before any test) is expected to become system admin.
"""

import os
import secrets
from urllib.parse import urlsplit

import pytest
import requests
from mattermostdriver import Driver
from realtime import Listener

PASSWORD = "Compat-Passw0rd!"


def server_options():
    url = urlsplit(os.environ.get("UTMOST_URL", "http://127.0.0.1:8065"))
    return {
        "scheme": url.scheme,
        "url": url.hostname,
        "port": url.port or (443 if url.scheme == "https" else 80),
        "basepath": "/api/v4",
        "request_timeout": 15,
    }


def new_driver(**options):
    return Driver({**server_options(), **options})


def unique(prefix):
    """A name that is valid as a Mattermost username, team name or channel name."""
    return f"{prefix}{secrets.token_hex(5)}"


class Wire:
    """Remembers the last HTTP response the driver received.

    mattermostdriver turns error responses into exceptions that carry only the message, so the
    Mattermost error id and status_code are read from the response it got.
    """

    def __init__(self):
        self.last = None

    def error_body(self):
        assert self.last is not None, "no HTTP response was recorded"
        try:
            return self.last.json()
        except ValueError:
            pytest.fail(f"error response is not JSON: {self.last.status_code} {self.last.text!r}")


@pytest.fixture(scope="session")
def wire():
    recorder = Wire()
    original_send = requests.Session.send

    def send(self, request, **kwargs):
        response = original_send(self, request, **kwargs)
        recorder.last = response
        return response

    requests.Session.send = send
    yield recorder
    requests.Session.send = original_send


@pytest.fixture
def expect_error(wire):
    """expect_error(call, exception_class, status, error_id): the driver raises, the body matches."""

    def check(call, exception_class, status, error_id):
        with pytest.raises(exception_class):
            call()
        assert wire.last.status_code == status, wire.last.text
        body = wire.error_body()
        assert body.get("id") == error_id, body
        assert body.get("status_code") == status, body
        assert isinstance(body.get("message"), str) and body["message"], body
        return body

    return check


def sign_up(prefix="py"):
    """Creates an account through the anonymous sign-up call and logs in with it."""
    username = unique(prefix)
    anonymous = new_driver()
    user = anonymous.users.create_user(
        options={
            "username": username,
            "email": f"{username}@example.com",
            "password": PASSWORD,
            "first_name": "Compat",
            "last_name": username.capitalize(),
        }
    )
    # mfa_token "" instead of the driver's default None (sent as JSON null): the default is
    # covered by test_login_with_driver_defaults, so a failure there stays one failure.
    driver = new_driver(login_id=username, password=PASSWORD, mfa_token="")
    driver.login()
    return driver, user


@pytest.fixture(scope="session", autouse=True)
def first_user(wire):
    """The first account on the fresh server, created before any test runs."""
    return sign_up("admin")


@pytest.fixture
def user_factory():
    return sign_up


@pytest.fixture
def team_factory():
    def create(driver, team_type="O"):
        name = unique("team")
        return driver.teams.create_team(
            options={"name": name, "display_name": f"Team {name}", "type": team_type}
        )

    return create


@pytest.fixture
def channel_factory():
    def create(driver, team_id, channel_type="O"):
        name = unique("chan")
        return driver.channels.create_channel(
            options={
                "team_id": team_id,
                "name": name,
                "display_name": f"Channel {name}",
                "type": channel_type,
            }
        )

    return create


@pytest.fixture
def team_with_members(user_factory, team_factory):
    """An owner with a team and two more users added to it: (owner, [member1, member2], team)."""

    def create(count=2):
        owner = user_factory()
        team = team_factory(owner[0])
        members = [user_factory() for _ in range(count)]
        for _, user in members:
            owner[0].teams.add_user_to_team(
                team["id"], options={"team_id": team["id"], "user_id": user["id"]}
            )
        return owner, members, team

    return create


@pytest.fixture
def listen():
    """listen(driver): opens the driver's WebSocket, waits for hello, returns the Listener."""
    listeners = []

    def start(driver):
        listener = Listener(driver)
        listeners.append(listener)
        listener.start()
        return listener

    yield start
    for listener in listeners:
        listener.stop()
