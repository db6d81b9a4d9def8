"""Multi-factor authentication through mattermostdriver: enrolment (generate, activate), login
with `mfa_token`, and the refusals of a wrong, reused or missing code with Mattermost's error
ids. Codes come from pyotp, as an authenticator app makes them (run.sh turns MFA on)."""

import base64
import time

import pyotp
from mattermostdriver.exceptions import NoAccessTokenProvided, NotEnoughPermissions

from conftest import PASSWORD, new_driver


def enrol(driver, user):
    """Generates a secret for the user and activates it; returns the authenticator."""
    generated = driver.users.generate_mfa(user["id"])
    totp = pyotp.TOTP(generated["secret"])
    assert driver.users.update_user_mfa(
        user["id"], options={"activate": True, "code": totp.now()}
    ) == {"status": "OK"}
    return totp


def code_in(totp, steps):
    """The code of the time step `steps` away from now."""
    return totp.at(time.time() + 30 * steps)


def test_generate_gives_a_base32_secret_and_a_png_qr_code(user_factory):
    driver, user = user_factory("mfa")
    generated = driver.users.generate_mfa(user["id"])
    assert len(base64.b32decode(generated["secret"])) == 20, generated["secret"]
    assert base64.b64decode(generated["qr_code"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert driver.users.get_user("me")["mfa_active"] is False


def test_login_with_an_mfa_token(user_factory, wire):
    driver, user = user_factory("mfa")
    totp = enrol(driver, user)
    assert driver.users.get_user("me")["mfa_active"] is True
    assert new_driver().users.check_mfa(options={"login_id": user["username"]}) == {
        "mfa_required": True
    }
    with_code = new_driver(
        login_id=user["username"], password=PASSWORD, mfa_token=code_in(totp, 1)
    )
    assert with_code.login()["id"] == user["id"]
    assert wire.last.status_code == 200
    assert with_code.users.get_user("me")["id"] == user["id"]


def test_a_wrong_reused_or_missing_code_is_refused(user_factory, expect_error):
    driver, user = user_factory("mfa")
    totp = enrol(driver, user)
    near = {code_in(totp, s) for s in (-1, 0, 1, 2)}
    wrong = next(c for c in (f"{n:06d}" for n in range(0, 10**6, 7919)) if c not in near)

    def login(token):
        return new_driver(login_id=user["username"], password=PASSWORD, mfa_token=token).login

    expect_error(login(wrong), NoAccessTokenProvided, 401, "api.user.check_user_mfa.bad_code.app_error")
    # The activation spent the current step's code.
    expect_error(
        login(totp.now()), NoAccessTokenProvided, 401, "api.user.check_user_mfa.bad_code.app_error"
    )
    expect_error(login(""), NoAccessTokenProvided, 401, "mfa.validate_token.authenticate.app_error")
    assert login(code_in(totp, 1))()["id"] == user["id"]


def test_another_user_cannot_turn_someones_mfa_off(user_factory, expect_error):
    driver, user = user_factory("mfa")
    enrol(driver, user)
    other, _ = user_factory("mfa")
    expect_error(
        lambda: other.users.update_user_mfa(user["id"], options={"activate": False}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    assert driver.users.get_user("me")["mfa_active"] is True
    assert driver.users.update_user_mfa(user["id"], options={"activate": False}) == {"status": "OK"}
    assert driver.users.get_user("me")["mfa_active"] is False
