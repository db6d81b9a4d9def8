"""The OAuth 2.0 provider through mattermostdriver's `oauth` endpoints (register, list, get,
info, regenerate the secret, delete), and a third-party app's side of the code flow as an
OAuth client library sends it: the consent's `POST /oauth/authorize`, then the token
endpoint's form (`POST /oauth/access_token`, RFC 6749), PKCE S256 and a refresh; the access
token then drives mattermostdriver like any token.
"""

import base64
import hashlib
import os
import secrets
from urllib.parse import parse_qs, urlsplit

import requests

from conftest import new_driver, unique

CALLBACK = "https://app.example.com/oauth/callback"


def base_url():
    return os.environ.get("UTMOST_URL", "http://127.0.0.1:8065").rstrip("/")


def consent(driver, app_id, **pkce):
    """What the web client's "Allow" sends; answers the code the redirect carries."""
    answer = requests.post(
        f"{base_url()}/oauth/authorize",
        json={"response_type": "code", "client_id": app_id, "redirect_uri": CALLBACK, "state": "s1", **pkce},
        headers={"Authorization": f"Bearer {driver.client.token}"},
        timeout=15,
    )
    assert answer.status_code == 200, answer.text
    redirect = answer.json()["redirect"]
    assert redirect.startswith(CALLBACK)
    query = parse_qs(urlsplit(redirect).query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def token(form):
    return requests.post(f"{base_url()}/oauth/access_token", data=form, timeout=15)


def test_a_third_party_app_signs_in_with_the_code_flow(first_user, user_factory):
    admin, _ = first_user
    user, user_row = user_factory()

    app = admin.oauth.register_oauth_app(
        options={"name": unique("app"), "description": "compat", "homepage": "https://app.example.com",
                 "callback_urls": [CALLBACK]}
    )
    secret = app["client_secret"]
    assert len(secret) == 26
    assert any(a["id"] == app["id"] for a in admin.oauth.get_oauth_apps())
    assert admin.oauth.get_oauth_app(app["id"])["client_secret"] == ""
    assert user.oauth.get_info_on_oauth_app(app["id"])["name"] == app["name"]

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = consent(user, app["id"], code_challenge=challenge, code_challenge_method="S256")
    answer = token({"grant_type": "authorization_code", "client_id": app["id"], "client_secret": secret,
                    "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    tokens = answer.json()
    assert tokens["token_type"] == "bearer"

    as_app = new_driver(token=tokens["access_token"])
    assert as_app.login()["id"] == user_row["id"]
    authorized = user.client.get(f"/users/{user_row['id']}/oauth/apps/authorized")
    assert [a["id"] for a in authorized] == [app["id"]]

    refreshed = token({"grant_type": "refresh_token", "client_id": app["id"], "client_secret": secret,
                       "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert new_driver(token=refreshed.json()["access_token"]).login()["id"] == user_row["id"]

    # A code works once; a regenerated secret replaces the old one.
    again = token({"grant_type": "authorization_code", "client_id": app["id"], "client_secret": secret,
                   "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier})
    assert again.status_code == 400
    assert again.json()["id"] == "api.oauth.get_access_token.expired_code.app_error"
    new_secret = admin.oauth.regenerate_oauth_app_secret(app["id"])["client_secret"]
    assert new_secret != secret
    stale = token({"grant_type": "refresh_token", "client_id": app["id"], "client_secret": secret,
                   "refresh_token": refreshed.json()["refresh_token"]})
    assert stale.status_code == 403
    assert stale.json()["id"] == "api.oauth.get_access_token.credentials.app_error"

    admin.oauth.delete_oauth_app(app["id"])
    gone = requests.get(f"{base_url()}/api/v4/users/me", timeout=15,
                        headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
    assert gone.status_code == 401
