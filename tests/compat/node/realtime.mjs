// Listening to the server through Mattermost's own WebSocketClient (@mattermost/client).
//
// Node 20 has no global WebSocket (the client reads WebSocket.OPEN) nor CloseEvent (the client
// builds one when it drops a socket after a sequence gap or a missed pong), so both are
// provided here: `ws` for the socket, and a minimal CloseEvent carrying code and wasClean.

import WS from 'ws';
import pkg from '@mattermost/client';
import { SERVER_URL } from './helpers.mjs';

const { WebSocketClient } = pkg;
globalThis.WebSocket ??= WS;
globalThis.CloseEvent ??= class CloseEvent extends Event {
    constructor(type, init = {}) {
        super(type);
        this.code = init.code ?? 0;
        this.reason = init.reason ?? '';
        this.wasClean = init.wasClean ?? false;
    }
};

export const WEBSOCKET_URL = `${SERVER_URL.replace(/^http/, 'ws')}/api/v4/websocket`;
const TIMEOUT_MS = 5000;

/**
 * One user's WebSocketClient. `events` holds every event the client passed to its message
 * listeners, in order; `urls` every URL it opened a socket on. While `network` is 'down',
 * the client's connection attempts fail as they do without a network; the client keeps
 * retrying by itself.
 */
export class Listener {
    constructor(client, config = {}) {
        this.client = client;
        this.events = [];
        this.urls = [];
        this.sockets = [];
        this.reconnects = 0;
        this.missed = 0;
        this.network = 'up';
        this.waiters = new Set();
        this.ws = new WebSocketClient({
            minWebSocketRetryTime: 100,
            reconnectJitterRange: 0,
            maxWebSocketFails: 1000, // retry at a steady pace while the "network" is down
            ...config,
            newWebSocketFn: (url) => {
                this.urls.push(url);
                if (this.network === 'down') {
                    return unreachable();
                }
                const socket = new WS(url);
                this.sockets.push(socket);
                return socket;
            },
        });
        this.ws.addMessageListener((msg) => {
            this.events.push(msg);
            for (const waiter of this.waiters) waiter();
        });
        this.ws.addReconnectListener(() => { this.reconnects++; });
        // Registering a missed-message listener is what makes the client remember the
        // connection id from hello and resume with it (see websocket.js).
        this.ws.addMissedMessageListener(() => { this.missed++; });
    }

    /** Connects as the client's user and resolves with the hello event. */
    async open() {
        this.ws.initialize(WEBSOCKET_URL, this.client.getToken());
        return this.waitFor((m) => m.event === 'hello', 'hello');
    }

    /** The first event (received so far or later) that matches. */
    waitFor(predicate, what, timeoutMs = TIMEOUT_MS) {
        return new Promise((resolve, reject) => {
            const check = () => {
                const found = this.events.find(predicate);
                if (found) {
                    this.waiters.delete(check);
                    clearTimeout(timer);
                    resolve(found);
                }
            };
            const timer = setTimeout(() => {
                this.waiters.delete(check);
                const seen = this.events.map((m) => `${m.event}#${m.seq}`).join(', ');
                reject(new Error(`no ${what} within ${timeoutMs} ms; received: ${seen}`));
            }, timeoutMs);
            this.waiters.add(check);
            check();
        });
    }

    /** The first `name` event whose data or broadcast fields equal `fields`. */
    waitForEvent(name, fields = {}) {
        return this.waitFor((m) => m.event === name && Object.entries(fields).every(
            ([k, v]) => ({ ...m.broadcast, ...m.data })[k] === v,
        ), `${name} ${JSON.stringify(fields)}`);
    }

    /** The posted event of a post. */
    waitForPost(postId) {
        const isIt = (m) => m.event === 'posted' && typeof m.data.post === 'string'
            && JSON.parse(m.data.post).id === postId;
        return this.waitFor(isIt, `posted ${postId}`);
    }

    /**
     * Every event received before `sentinel`. The server sends a connection its events in the
     * order they were published, so an earlier event missing by then never comes.
     */
    before(sentinel) {
        return this.events.slice(0, this.events.indexOf(sentinel));
    }

    /** Sends an action through the client and resolves with the server's reply. */
    request(send) {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no reply')), TIMEOUT_MS);
            send((reply) => {
                clearTimeout(timer);
                resolve(reply);
            });
        });
    }

    /** Kills the live socket without a close handshake (its TCP connection is destroyed). */
    dropSocket() {
        this.sockets.at(-1).terminate();
    }

    close() {
        this.ws.close();
        // Detach the client from sockets still connecting, so none schedules a reconnect.
        for (const socket of this.sockets) {
            socket.onclose = null;
            socket.onmessage = null;
            socket.onerror = null;
            socket.on('error', () => {});
            socket.terminate();
        }
    }
}

/**
 * A socket that fails to connect (close code 1006 and no open), as without a network. It
 * stands in for a real socket to a dead address, whose error event the client would dump on
 * the console.
 */
function unreachable() {
    const socket = { readyState: WS.CONNECTING, send() {}, close() {} };
    setTimeout(() => {
        socket.readyState = WS.CLOSED;
        socket.onclose?.({ code: 1006, wasClean: false });
    }, 20);
    return socket;
}

/** Opens listeners and closes them all after the test. */
export async function listen(t, client, config) {
    const listener = new Listener(client, config);
    t.after(() => listener.close());
    await listener.open();
    return listener;
}

/** The post inside a posted / post_edited / post_deleted event (a JSON string). */
export function postOf(event) {
    if (typeof event.data.post !== 'string') {
        throw new Error(`data.post is not a JSON string: ${JSON.stringify(event.data)}`);
    }
    return JSON.parse(event.data.post);
}
