"""Link previews through mattermostdriver: the opengraph endpoint and posts' embeds.

run.sh starts the server with ServiceSettings.AllowedUntrustedInternalConnections=127.0.0.2,
as an admin would allow an intranet; 127.0.0.1 stays refused. Each test runs a real site on
those addresses and checks which one received requests.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = b"""<html><head>
<meta property="og:type" content="website">
<meta property="og:title" content="Intranet Home">
<meta property="og:description" content="Welcome">
</head><body></body></html>"""


class Site:
    """An HTTP site on one loopback address that records the paths it was asked for."""

    def __init__(self, host):
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites():
    allowed, refused = Site("127.0.0.2"), Site("127.0.0.1")
    yield allowed, refused
    allowed.close()
    refused.close()


def test_opengraph_of_an_allowed_page_and_not_of_loopback(user_factory, sites):
    driver, _ = user_factory()
    allowed, refused = sites
    og = driver.opengraph.get_opengraph_metadata_for_url(options={"url": f"{allowed.url}/home"})
    assert og["title"] == "Intranet Home"
    assert og["description"] == "Welcome"
    assert og["type"] == "website"
    nothing = driver.opengraph.get_opengraph_metadata_for_url(options={"url": f"{refused.url}/home"})
    assert nothing["title"] == ""
    assert allowed.requests == ["/home"]
    assert refused.requests == []


def test_posts_embed_their_first_link(user_factory, team_factory, channel_factory, sites):
    driver, _ = user_factory()
    team = team_factory(driver)
    channel = channel_factory(driver, team["id"])
    allowed, refused = sites
    link = f"{allowed.url}/news"
    created = driver.posts.create_post(options={"channel_id": channel["id"], "message": f"see {link}"})
    embed = created["metadata"]["embeds"][0]
    assert (embed["type"], embed["url"], embed["data"]["title"]) == ("opengraph", link, "Intranet Home")
    read = driver.posts.get_post(created["id"])
    assert read["metadata"]["embeds"] == created["metadata"]["embeds"]
    inside = f"{refused.url}/secret"
    blocked = driver.posts.create_post(options={"channel_id": channel["id"], "message": inside})
    assert blocked["metadata"]["embeds"] == [{"type": "link", "url": inside}]
    assert allowed.requests == ["/news"]
    assert refused.requests == []
