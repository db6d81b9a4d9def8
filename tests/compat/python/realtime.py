"""Listening to the server's WebSocket through mattermostdriver, from a test.

`Driver.init_websocket(handler)` blocks in an asyncio loop until the socket ends, so every
Listener runs it on a thread of its own and collects the events it receives. The driver's
Websocket class is subclassed only to keep a handle on its connection: the driver itself
offers no way to send an action (user_typing) or to close the socket.
"""

import asyncio
import json
import threading
import time

from mattermostdriver.websocket import Websocket

TIMEOUT = 5.0


class KeptWebsocket(Websocket):
    """mattermostdriver's Websocket, remembering the connection it authenticated."""

    connection = None

    async def _authenticate_websocket(self, websocket, event_handler):
        self.connection = websocket
        return await super()._authenticate_websocket(websocket, event_handler)


class Listener:
    """One user's WebSocket: `messages` holds every frame received, decoded, in order."""

    def __init__(self, driver):
        self.driver = driver
        self.messages = []
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._next_seq = 2  # the driver's authentication_challenge is seq 1

    def start(self):
        """Connects and returns the `hello` event."""
        self._thread.start()
        return self.wait_for(lambda m: m.get("event") == "hello", "hello")

    def _run(self):
        asyncio.set_event_loop(self._loop)
        try:
            self.driver.init_websocket(self._receive, websocket_cls=KeptWebsocket)
        except asyncio.CancelledError:
            pass
        finally:
            connection = getattr(self.driver.websocket, "connection", None)
            if connection is not None:
                self._loop.run_until_complete(connection.close())
            self._loop.close()

    async def _receive(self, message):
        with self._changed:
            self.messages.append(json.loads(message))
            self._changed.notify_all()

    @property
    def events(self):
        """Server events (frames with `event`), leaving out replies to actions."""
        with self._changed:
            return [m for m in self.messages if "event" in m]

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        """The first message (received so far or later) that matches `predicate`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [m.get("event", m) for m in self.messages]
                    raise AssertionError(f"no {what} within {timeout} s; received {seen}")
                self._changed.wait(left)

    def wait_for_event(self, name, timeout=TIMEOUT, **broadcast_or_data):
        """The first `name` event whose data (or broadcast) fields equal the given values."""

        def matches(m):
            if m.get("event") != name:
                return False
            fields = {**m.get("broadcast", {}), **m.get("data", {})}
            return all(fields.get(k) == v for k, v in broadcast_or_data.items())

        return self.wait_for(matches, f"{name} {broadcast_or_data}", timeout)

    def wait_for_post(self, post_id, timeout=TIMEOUT):
        """The `posted` event of one post."""
        return self.wait_for(is_posted(post_id), f"posted {post_id}", timeout)

    def events_before(self, sentinel):
        """Every event received before `sentinel` (an event this listener received).

        A server sends one connection its events in the order they were published, so once a
        sentinel published later has arrived, an earlier event that is missing never comes.
        """
        events = self.events
        return events[: events.index(sentinel)]

    def send(self, action, data):
        """Sends an action on the driver's connection and returns the server's reply."""
        seq = self._next_seq
        self._next_seq += 1
        request = json.dumps({"seq": seq, "action": action, "data": data})
        connection = self.driver.websocket.connection
        asyncio.run_coroutine_threadsafe(connection.send(request), self._loop).result(TIMEOUT)
        return self.wait_for(lambda m: m.get("seq_reply") == seq, f"reply to {action}")

    def stop(self):
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(_cancel_all, self._loop)
            self._thread.join(TIMEOUT)


def _cancel_all(loop):
    for task in asyncio.all_tasks(loop):
        task.cancel()


def post_of(event):
    """The post inside a posted / post_edited / post_deleted event (a JSON string)."""
    assert isinstance(event["data"]["post"], str), event
    return json.loads(event["data"]["post"])


def is_posted(post_id):
    """Matches the `posted` event of one post."""
    return lambda m: m.get("event") == "posted" and post_of(m)["id"] == post_id
