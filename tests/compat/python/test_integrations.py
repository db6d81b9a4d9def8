"""Bots and incoming webhooks through mattermostdriver's `bots`, `users` (access tokens) and
`webhooks` endpoints (the driver has a `Bots` endpoint class but no `bots` property): the admin makes a bot and its token, an incoming hook that posts as the
bot, and the driver calls the hook (`/hooks/{id}`, outside /api/v4) with a Slack attachment;
the bot then reads the channel with its own token.
"""

from mattermostdriver.endpoints.bots import Bots

from conftest import new_driver, unique


def test_a_bot_posts_through_an_incoming_hook(first_user, team_factory, channel_factory):
    admin, _ = first_user
    admin.client.put(
        "/config/patch",
        options={"ServiceSettings": {"EnableBotAccountCreation": True, "EnableIncomingWebhooks": True}},
    )
    team = team_factory(admin)
    channel = channel_factory(admin, team["id"])

    username = unique("bot")
    bot = Bots(admin.client).create_bot(options={"username": username, "display_name": "Compat bot", "description": "compat"})
    assert bot["username"] == username
    assert bot["owner_id"] == admin.client.userid
    bot_id = bot["user_id"]
    assert any(b["user_id"] == bot_id for b in Bots(admin.client).get_bots())
    admin.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": bot_id})
    admin.channels.add_user(channel["id"], options={"user_id": bot_id})

    token = admin.users.create_user_access_token(bot_id, options={"description": "compat"})
    as_bot = new_driver(token=token["token"])
    me = as_bot.login()
    assert me["id"] == bot_id
    assert me["is_bot"] is True

    hook = admin.webhooks.create_incoming_hook(
        options={"channel_id": channel["id"], "user_id": bot_id, "display_name": "Compat hook"}
    )
    assert hook["user_id"] == bot_id
    assert admin.webhooks.get_incoming_hook(hook["id"])["id"] == hook["id"]

    response = as_bot.webhooks.call_webhook(
        hook["id"],
        options={
            "text": "<!channel> deploy of <https://example.com/42|build 42> done",
            "attachments": [
                {
                    "fallback": "Build 42 passed",
                    "color": "#36a64f",
                    "pretext": "CI",
                    "fields": [{"title": "Duration", "value": 93, "short": True}],
                }
            ],
        },
    )
    assert response.text == "ok"

    posts = as_bot.posts.get_posts_for_channel(channel["id"])
    hooked = [posts["posts"][i] for i in posts["order"] if posts["posts"][i]["props"].get("from_webhook") == "true"]
    assert len(hooked) == 1
    post = hooked[0]
    assert post["user_id"] == bot_id
    assert post["message"] == "@channel deploy of [build 42](https://example.com/42) done"
    assert post["type"] == "slack_attachment"
    assert post["props"]["webhook_display_name"] == "Compat hook"
    attachment = post["props"]["attachments"][0]
    assert attachment["color"] == "#36a64f"
    assert attachment["fields"] == [{"title": "Duration", "value": "93", "short": True}]

    own = as_bot.posts.create_post(options={"channel_id": channel["id"], "message": "and by token"})
    assert own["user_id"] == bot_id
