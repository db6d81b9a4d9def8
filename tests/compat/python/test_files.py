"""Files through mattermostdriver's `files` endpoints: upload (multipart), download, info,
thumbnail, a file on a post, and the refusals a client meets."""

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions

from test_emoji import png


@pytest.fixture
def channel(user_factory, team_factory, channel_factory):
    """(driver, user, channel): a user alone in a fresh private channel of a fresh team."""
    driver, user = user_factory()
    team = team_factory(driver)
    return driver, user, channel_factory(driver, team["id"], "P")


def test_upload_download_and_attach(channel, wire):
    driver, user, chan = channel
    report = bytes(range(256)) * 300
    uploaded = driver.files.upload_file(
        chan["id"], files={"files": ("report.pdf", report, "application/pdf")}
    )
    assert wire.last.status_code == 201
    info = uploaded["file_infos"][0]
    assert info["name"] == "report.pdf" and info["size"] == len(report), info
    assert info["user_id"] == user["id"] and info["channel_id"] == chan["id"], info

    downloaded = driver.files.get_file(info["id"])
    assert downloaded.status_code == 200
    assert downloaded.content == report
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    assert driver.files.get_file_metadata(info["id"]) == info

    post = driver.posts.create_post(
        options={"channel_id": chan["id"], "message": "the report", "file_ids": [info["id"]]}
    )
    assert post["file_ids"] == [info["id"]]
    assert post["metadata"]["files"][0]["id"] == info["id"]
    attached = driver.posts.get_file_info_for_post(post["id"])
    assert [f["id"] for f in attached] == [info["id"]]
    assert attached[0]["post_id"] == post["id"]


def test_an_image_has_a_thumbnail(channel):
    driver, _, chan = channel
    image = png(300, 200)
    info = driver.files.upload_file(chan["id"], files={"files": ("pic.png", image, "image/png")})[
        "file_infos"
    ][0]
    assert (info["width"], info["height"], info["has_preview_image"]) == (300, 200, True), info
    thumbnail = driver.files.get_file_thumbnail(info["id"])
    assert thumbnail.status_code == 200
    assert thumbnail.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert driver.files.get_file(info["id"]).headers["Content-Disposition"].startswith("inline;")


def test_refusals(channel, user_factory, expect_error):
    driver, _, chan = channel
    outsider, _ = user_factory()
    expect_error(
        lambda: outsider.files.upload_file(chan["id"], files={"files": ("x.txt", b"x", "text/plain")}),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    info = driver.files.upload_file(chan["id"], files={"files": ("secret.txt", b"secret", "text/plain")})[
        "file_infos"
    ][0]
    expect_error(
        lambda: outsider.files.get_file_metadata(info["id"]),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        lambda: driver.files.get_file_thumbnail(info["id"]),
        InvalidOrMissingParameters,
        400,
        "api.file.get_file_thumbnail.no_thumbnail.app_error",
    )
