"""Reliable WebSocket: a client whose socket drops resumes with `connection_id` and
`sequence_number` and gets exactly the events it missed.

mattermostdriver has no resume support (it builds the socket URL itself, without query
parameters, and starts over with a new connection after a drop), so these tests speak the
protocol with `websockets`, the library the driver itself uses, exactly as Mattermost's webapp
and mobile clients do on a reconnect.
"""

import contextlib
import json
import socket
import struct
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import server_options
from realtime import is_posted, post_of

TIMEOUT = 5.0


class RawSocket:
    """A bare WebSocket client: authentication_challenge, then JSON frames."""

    def __init__(self, ws, token):
        self.ws = ws
        challenge = {"seq": 1, "action": "authentication_challenge", "data": {"token": token}}
        self.ws.send(json.dumps(challenge))
        self.received = []

    def recv(self, timeout=TIMEOUT):
        message = json.loads(self.ws.recv(timeout=timeout))
        self.received.append(message)
        return message

    def events_until(self, predicate, what, timeout=TIMEOUT):
        """Receives until an event matches; returns every event (not replies) received on
        the way, the matching one last."""
        deadline = time.monotonic() + timeout
        events = []
        while True:
            left = deadline - time.monotonic()
            try:
                message = self.recv(timeout=max(left, 0.001))
            except TimeoutError:
                seen = [(m.get("event"), m.get("seq")) for m in events]
                raise AssertionError(f"no {what} within {timeout} s; events: {seen}") from None
            if "event" not in message:
                continue
            events.append(message)
            if predicate(message):
                return events

    def drop(self):
        """Loses the connection without a WebSocket close handshake, like a network failure:
        the TCP connection is shut down and closed with no linger."""
        raw = self.ws.socket
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.shutdown(socket.SHUT_RDWR)
        self.ws.close_socket()


@pytest.fixture
def sockets():
    """sockets(token, connection_id=..., sequence_number=...): an authenticated RawSocket."""
    options = server_options()
    base = f"ws://{options['url']}:{options['port']}/api/v4/websocket"
    with contextlib.ExitStack() as opened:

        def open_socket(token, connection_id="", sequence_number=0):
            url = f"{base}?connection_id={connection_id}&sequence_number={sequence_number}"
            return RawSocket(opened.enter_context(connect(url, open_timeout=TIMEOUT)), token)

        yield open_socket


@pytest.fixture
def conversation(team_with_members, channel_factory):
    """(poster driver, reader driver, channel): both are members of a public channel."""
    (poster, _), [(reader, reader_user)], team = team_with_members(1)
    channel = channel_factory(poster, team["id"])
    poster.channels.add_user(channel["id"], options={"user_id": reader_user["id"]})
    return poster, reader, channel


def say(driver, channel_id, message):
    return driver.posts.create_post(options={"channel_id": channel_id, "message": message})["id"]


def assert_consecutive(events, start):
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(start, start + len(seqs))), f"seq from {start}: {seqs}"


def test_a_dropped_client_gets_exactly_the_events_it_missed(conversation, sockets):
    poster, reader, channel = conversation
    token = reader.client.token
    first = sockets(token)
    hello = first.events_until(lambda m: m.get("event") == "hello", "hello")[-1]
    assert hello["seq"] == 0
    connection_id = hello["data"]["connection_id"]
    live = say(poster, channel["id"], "before the drop")
    before = first.events_until(is_posted(live), "the live post")
    assert_consecutive([hello] + before, 0)
    next_seq = before[-1]["seq"] + 1

    first.drop()
    missed = [say(poster, channel["id"], f"missed {i}") for i in range(5)]

    second = sockets(token, connection_id=connection_id, sequence_number=next_seq)
    replayed = second.events_until(is_posted(missed[-1]), "the last missed post")
    replies = [m for m in second.received if m.get("seq_reply") == 1]
    assert [r["status"] for r in replies] == ["OK"], second.received[:2]
    # Every event the socket missed comes back, in order and numbered on from where it
    # left: the posts, and whatever else happened meanwhile (a status change the drop
    # caused, when the presence worker was quicker than the reconnect), never a new hello.
    assert not any(e["event"] == "hello" for e in replayed), replayed
    posted = [e for e in replayed if e["event"] == "posted"]
    others = {e["event"] for e in replayed if e["event"] != "posted"}
    assert others <= {"status_change"}, (
        f"only the missed events: {[(e['event'], e['seq']) for e in replayed]}"
    )
    assert [post_of(e)["id"] for e in posted] == missed
    assert_consecutive(replayed, next_seq)

    # The resumed connection stays live and continues the same sequence.
    after = say(poster, channel["id"], "after the resume")
    more = second.events_until(is_posted(after), "the post after the resume")
    assert_consecutive(replayed + more, next_seq)
    assert not any(e["event"] == "hello" for e in more), more


def test_resume_from_an_earlier_sequence_number_replays_from_there(conversation, sockets):
    """A client that received events but not their processing may ask for them again."""
    poster, reader, channel = conversation
    token = reader.client.token
    first = sockets(token)
    hello = first.events_until(lambda m: m.get("event") == "hello", "hello")[-1]
    ids = [say(poster, channel["id"], f"seen {i}") for i in range(3)]
    seen = first.events_until(is_posted(ids[-1]), "the posts")
    from_seq = seen[-3]["seq"]
    first.drop()

    second = sockets(token, connection_id=hello["data"]["connection_id"], sequence_number=from_seq)
    replayed = second.events_until(is_posted(ids[-1]), "the replay")
    assert [post_of(e)["id"] for e in replayed] == ids, [e["event"] for e in replayed]
    assert_consecutive(replayed, from_seq)


def test_unknown_connection_id_gets_a_fresh_connection(conversation, sockets):
    poster, reader, channel = conversation
    second = sockets(reader.client.token, connection_id="a" * 26, sequence_number=7)
    hello = second.events_until(lambda m: m.get("event") == "hello", "a new hello")[-1]
    assert hello["seq"] == 0
    assert hello["data"]["connection_id"] != "a" * 26
    post = say(poster, channel["id"], "fresh")
    assert_consecutive([hello] + second.events_until(is_posted(post), "the post"), 0)


def test_resume_while_the_old_socket_still_looks_open(conversation, sockets):
    """A phone that changes networks reconnects before the server notices the old socket is
    gone. The new socket must work and keep working (Mattermost resumes only connections it
    already knows are dead, and otherwise starts a new one with a new hello)."""
    poster, reader, channel = conversation
    token = reader.client.token
    first = sockets(token)
    hello = first.events_until(lambda m: m.get("event") == "hello", "hello")[-1]
    live = say(poster, channel["id"], "before the switch")
    next_seq = first.events_until(is_posted(live), "the live post")[-1]["seq"] + 1

    # The old socket is left open (its TCP connection is still up from the server's view).
    second = sockets(token, connection_id=hello["data"]["connection_id"], sequence_number=next_seq)
    ids = []
    for i in range(3):
        ids.append(say(poster, channel["id"], f"on the new network {i}"))
        try:
            second.events_until(is_posted(ids[-1]), f"post {i} on the new socket")
        except ConnectionClosed as closed:
            got = [(m.get("event", "reply"), m.get("seq")) for m in second.received]
            pytest.fail(f"the server closed the new socket at post {i} ({closed!r}); got {got}")
        time.sleep(0.3)
    received = [m for m in second.received if "event" in m]
    got = [post_of(e)["id"] for e in received if e["event"] == "posted"]
    assert got == ids, [(e["event"], e["seq"]) for e in received]
    start = 0 if received[0]["event"] == "hello" else next_seq
    assert_consecutive(received, start)
