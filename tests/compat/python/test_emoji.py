"""Custom emoji through mattermostdriver's `emoji` endpoints: create (multipart), read, list,
search, autocomplete, image, delete, and the `emoji_added` event.

The compat server runs with ServiceSettings.EnableCustomEmoji on (run.sh).
"""

import json
import struct
import zlib

from mattermostdriver.exceptions import ContentTooLarge, InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from conftest import unique


def png(width, height):
    """A solid PNG of the given size, made with the standard library only."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xff\x80\x00" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


def create(driver, name, image):
    return driver.emoji.create_custom_emoji(name, files={"image": ("emoji.png", image, "image/png")})


def test_create_read_list_and_delete_custom_emoji(user_factory, expect_error):
    driver, user = user_factory()
    reader, _ = user_factory()
    name = unique("emoji_")
    image = png(40, 30)

    created = create(driver, name, image)
    assert created["name"] == name and created["creator_id"] == user["id"], created
    assert len(created["id"]) == 26 and created["delete_at"] == 0, created

    assert reader.emoji.get_custom_emoji(created["id"]) == created
    assert reader.emoji.get_custom_emoji_by_name(name) == created
    served = reader.emoji.get_custom_emoji_image(created["id"])
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content == image
    listed = reader.emoji.get_emoji_list(params={"sort": "name", "per_page": 200})
    assert created in listed, listed
    assert reader.emoji.search_custom_emoji(options={"term": name[6:]}) == [created]
    assert reader.emoji.search_custom_emoji(options={"term": name[6:], "prefix_only": True}) == []
    assert reader.emoji.autocomplete_custom_emoji(params={"name": name}) == [created]

    expect_error(
        lambda: reader.emoji.delete_custom_emoji(created["id"]),
        NotEnoughPermissions,
        403,
        "api.context.permissions.app_error",
    )
    assert driver.emoji.delete_custom_emoji(created["id"]) == {"status": "OK"}
    expect_error(
        lambda: reader.emoji.get_custom_emoji(created["id"]),
        ResourceNotFound,
        404,
        "app.emoji.get.no_result",
    )


def test_large_images_are_shrunk(user_factory):
    driver, _ = user_factory()
    created = create(driver, unique("wide_"), png(256, 64))
    served = driver.emoji.get_custom_emoji_image(created["id"])
    assert png_size(served.content) == (128, 32)


def test_bad_emoji_are_refused(user_factory, expect_error):
    driver, user = user_factory()
    expect_error(
        lambda: create(driver, "smile", png(8, 8)),
        InvalidOrMissingParameters,
        400,
        "model.emoji.system_emoji_name.app_error",
    )
    expect_error(
        lambda: create(driver, "no spaces", png(8, 8)),
        InvalidOrMissingParameters,
        400,
        "model.emoji.name.app_error",
    )
    expect_error(
        lambda: create(driver, unique("text_"), b"not an image"),
        InvalidOrMissingParameters,
        400,
        "api.emoji.upload.image.app_error",
    )
    expect_error(
        lambda: create(driver, unique("huge_"), png(1100, 8)),
        InvalidOrMissingParameters,
        400,
        "api.emoji.upload.large_image.too_large.app_error",
    )
    expect_error(
        lambda: create(driver, unique("heavy_"), b"\0" * (600 * 1024)),
        ContentTooLarge,
        413,
        "api.emoji.create.too_large.app_error",
    )
    name = unique("dup_")
    create(driver, name, png(8, 8))
    expect_error(
        lambda: create(driver, name, png(8, 8)),
        InvalidOrMissingParameters,
        400,
        "api.emoji.create.duplicate.app_error",
    )
    # Another user's id as creator.
    other = {"name": unique("other_"), "creator_id": "a" * 26}
    expect_error(
        lambda: driver.client.post("/emoji", data={"emoji": json.dumps(other)}, files={"image": ("e.png", png(8, 8))}),
        NotEnoughPermissions,
        403,
        "api.emoji.create.other_user.app_error",
    )


def test_emoji_added_reaches_other_users(user_factory, listen):
    driver, _ = user_factory()
    other, _ = user_factory()
    listener = listen(other)
    listener.wait_for_event("hello")
    created = create(driver, unique("event_"), png(8, 8))
    event = listener.wait_for(
        lambda m: m.get("event") == "emoji_added" and json.loads(m["data"]["emoji"]) == created,
        "emoji_added",
    )
    assert event["broadcast"]["channel_id"] == "" and event["broadcast"]["team_id"] == "", event
