"""Slash commands through mattermostdriver's `commands` endpoint, with a bot running them.

The admin makes a bot and a custom command whose URL is a real integration on 127.0.0.2 (the
address run.sh allows, as an admin would allow an intranet); the bot runs it with
`execute_command`, the integration gets Mattermost's form fields and answers in the channel,
then posts a delayed response to the `response_url`. The bot also runs built-ins and asks for
autocomplete suggestions. The driver's paths for one command and for the team's list lack a
slash (`/commands` + id), so those calls go through its client with the right path.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests
from mattermostdriver.endpoints.bots import Bots
from mattermostdriver.exceptions import ResourceNotFound

from conftest import new_driver, unique


class Integration:
    """A command's integration on 127.0.0.2 that records the forms it gets."""

    def __init__(self):
        self.forms = []
        integration = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                integration.forms.append({k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()})
                answer = json.dumps(
                    {"response_type": "in_channel", "text": f"deploying {integration.forms[-1]['text']}"}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_address[1]}/deploy"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def integration():
    site = Integration()
    yield site
    site.close()


def messages(driver, channel_id):
    posts = driver.posts.get_posts_for_channel(channel_id)
    return [posts["posts"][i]["message"] for i in posts["order"]]


def test_a_bot_runs_custom_and_built_in_commands(first_user, team_factory, channel_factory, integration):
    admin, _ = first_user
    admin.client.put("/config/patch", options={"ServiceSettings": {"EnableBotAccountCreation": True}})
    team = team_factory(admin)
    channel = channel_factory(admin, team["id"])
    bot = Bots(admin.client).create_bot(options={"username": unique("cmdbot"), "display_name": "Commands"})
    bot_id = bot["user_id"]
    admin.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": bot_id})
    admin.channels.add_user(channel["id"], options={"user_id": bot_id})
    as_bot = new_driver(token=admin.users.create_user_access_token(bot_id, options={"description": "c"})["token"])
    as_bot.login()

    command = admin.commands.create_command(
        options={
            "team_id": team["id"],
            "trigger": "deploy",
            "url": integration.url,
            "method": "P",
            "auto_complete": True,
            "auto_complete_desc": "Deploy a build",
            "auto_complete_hint": "[build]",
        }
    )
    assert len(command["token"]) == 26
    listed = admin.commands.list_commands_for_team(params={"team_id": team["id"], "custom_only": True})
    assert [c["id"] for c in listed] == [command["id"]]
    regenerated = admin.client.put(f"/commands/{command['id']}/regen_token")
    assert regenerated["token"] != command["token"]

    answer = as_bot.commands.execute_command(
        options={"channel_id": channel["id"], "team_id": team["id"], "command": "/deploy build 7"}
    )
    assert answer["response_type"] == "in_channel"
    form = integration.forms[0]
    assert form["token"] == regenerated["token"]
    assert (form["user_id"], form["channel_id"], form["team_id"]) == (bot_id, channel["id"], team["id"])
    assert (form["command"], form["text"]) == ("/deploy", "build 7")
    assert "deploying build 7" in messages(as_bot, channel["id"])

    delayed = requests.post(form["response_url"], json={"response_type": "in_channel", "text": "build 7 is live"})
    assert (delayed.status_code, delayed.text) == (200, "ok")
    assert "build 7 is live" in messages(as_bot, channel["id"])

    as_bot.commands.execute_command(options={"channel_id": channel["id"], "command": "/me deploys"})
    assert "*deploys*" in messages(as_bot, channel["id"])

    suggestions = as_bot.client.get(
        f"/teams/{team['id']}/commands/autocomplete_suggestions",
        params={"user_input": "/dep", "channel_id": channel["id"]},
    )
    assert [(s["Complete"], s["Hint"], s["Description"]) for s in suggestions] == [
        ("deploy", "[build]", "Deploy a build")
    ]
    autocomplete = as_bot.client.get(f"/teams/{team['id']}/commands/autocomplete")
    deploy = next(c for c in autocomplete if c["trigger"] == "deploy")
    assert deploy["token"] == "" and deploy["url"] == ""

    admin.client.delete(f"/commands/{command['id']}")
    with pytest.raises(ResourceNotFound):
        as_bot.commands.execute_command(options={"channel_id": channel["id"], "command": "/deploy again"})
