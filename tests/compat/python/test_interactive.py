"""Interactive messages and dialogs through mattermostdriver: a bot posts a message attachment
with a button whose integration is a real HTTP server on 127.0.0.2 (run.sh allows that address,
as an admin would an intranet); a user clicks it (`posts.perform_post_action`); the integration
gets the click, opens a dialog with its trigger id as the bot (`integration_actions.open_dialog`)
and updates the post; the user's WebSocket gets `open_dialog`, and the submission
(`integration_actions.submit_dialog`) reaches the integration, whose field errors come back.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from mattermostdriver.endpoints.bots import Bots

from conftest import new_driver, unique


class Integration:
    """Records each JSON request; answers `/action` with `on_action(request)`, others with `answers`."""

    def __init__(self, answers, on_action):
        self.requests = []
        integration = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                integration.requests.append((self.path, body))
                answer = on_action(body) if self.path == "/action" else answers.get(self.path, {})
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bot_and_channel(first_user, team_with_members, channel_factory):
    """A bot with a token in a channel of a team whose member will click: (bot driver, member driver, member, team, channel)."""
    admin, _ = first_user
    admin.client.put("/config/patch", options={"ServiceSettings": {"EnableBotAccountCreation": True}})
    (owner, _), [(member, member_user), _], team = team_with_members()
    channel = channel_factory(owner, team["id"])
    owner.channels.add_user(channel["id"], options={"user_id": member_user["id"]})
    bot = Bots(admin.client).create_bot(options={"username": unique("bot"), "display_name": "Deploy bot"})
    admin.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": bot["user_id"]})
    admin.channels.add_user(channel["id"], options={"user_id": bot["user_id"]})
    token = admin.users.create_user_access_token(bot["user_id"], options={"description": "compat"})
    as_bot = new_driver(token=token["token"])
    as_bot.login()
    return as_bot, member, member_user, team, channel


def test_a_bots_button_opens_a_dialog_whose_errors_come_back(bot_and_channel, listen):
    as_bot, member, member_user, team, channel = bot_and_channel
    integration = None

    def on_action(request):
        as_bot.integration_actions.open_dialog(
            options={
                "trigger_id": request["trigger_id"],
                "url": f"{integration.url}/submit",
                "dialog": {
                    "callback_id": "deploy",
                    "title": "Deploy",
                    "elements": [{"display_name": "Name", "name": "name", "type": "text"}],
                    "state": "st",
                },
            }
        )
        return {"update": {"message": "Deploying", "props": {}}, "ephemeral_text": "Started"}

    integration = Integration({"/submit": {"errors": {"name": "Taken"}}}, on_action)
    try:
        post = as_bot.posts.create_post(
            options={
                "channel_id": channel["id"],
                "message": "Release 1.2 is ready",
                "props": {
                    "attachments": [
                        {
                            "text": "Deploy it?",
                            "actions": [
                                {
                                    "id": "deploy",
                                    "name": "Deploy",
                                    "integration": {"url": f"{integration.url}/action", "context": {"release": "1.2"}},
                                }
                            ],
                        }
                    ]
                },
            }
        )
        action = post["props"]["attachments"][0]["actions"][0]
        assert action["id"] == "deploy"
        assert "integration" not in action, "clients never see the integration"

        ws = listen(member)
        answer = member.posts.perform_post_action(post["id"], "deploy")
        assert answer["status"] == "OK"
        path, click = integration.requests[0]
        assert path == "/action"
        assert click["user_id"] == member_user["id"]
        assert click["channel_id"] == channel["id"]
        assert click["team_id"] == team["id"]
        assert click["post_id"] == post["id"]
        assert click["context"] == {"release": "1.2"}

        opened = ws.wait_for_event("open_dialog")
        dialog = json.loads(opened["data"]["dialog"])
        assert dialog["trigger_id"] == answer["trigger_id"]
        assert dialog["dialog"]["title"] == "Deploy"
        edited = ws.wait_for_event("post_edited")
        assert json.loads(edited["data"]["post"])["message"] == "Deploying"
        ephemeral = ws.wait_for_event("ephemeral_message")
        assert json.loads(ephemeral["data"]["post"])["message"] == "Started"

        errors = member.integration_actions.submit_dialog(
            options={
                "url": dialog["url"],
                "callback_id": "deploy",
                "state": "st",
                "channel_id": channel["id"],
                "team_id": team["id"],
                "submission": {"name": "taken"},
                "cancelled": False,
            }
        )
        assert errors == {"errors": {"name": "Taken"}}
        path, submitted = integration.requests[1]
        assert path == "/submit"
        assert submitted["type"] == "dialog_submission"
        assert submitted["user_id"] == member_user["id"]
        assert submitted["submission"] == {"name": "taken"}
    finally:
        integration.close()
