// Shared helpers for driving a running Utmost server with Mattermost's own Client4.
// The server URL comes from UTMOST_URL. Every test signs up users and creates teams of its own.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pkg from '@mattermost/client';

export const { Client4, ClientError } = pkg;
export const SERVER_URL = process.env.UTMOST_URL ?? 'http://127.0.0.1:8065';
export const PASSWORD = 'Compat-Passw0rd!';
export const UNKNOWN_ID = 'a'.repeat(26);

/** A name valid as a Mattermost username, team name or channel name. */
export function unique(prefix) {
    return `${prefix}${crypto.randomBytes(5).toString('hex')}`;
}

export function newClient() {
    const client = new Client4();
    client.setUrl(SERVER_URL);
    return client;
}

export function roles(object) {
    return new Set(object.roles.split(' ').filter(Boolean));
}

/** Signs up through the anonymous sign-up call and logs in: { client, user }. */
export async function signUp(prefix = 'js') {
    const username = unique(prefix);
    const user = await newClient().createUser({
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
        first_name: 'Compat',
        last_name: username,
    });
    const client = newClient();
    await client.login(username, PASSWORD);
    return { client, user };
}

export async function createTeam(client, type = 'O') {
    const name = unique('team');
    return client.createTeam({ name, display_name: `Team ${name}`, type });
}

export async function createChannel(client, teamId, type = 'O') {
    const name = unique('chan');
    return client.createChannel({ team_id: teamId, name, display_name: `Channel ${name}`, type });
}

/** An owner with a team and `count` more users added to it. */
export async function teamWithMembers(count = 1) {
    const owner = await signUp();
    const team = await createTeam(owner.client);
    const members = [];
    for (let i = 0; i < count; i++) {
        const member = await signUp();
        await owner.client.addToTeam(team.id, member.user.id);
        members.push(member);
    }
    return { owner, team, members };
}

/** Creates a post, then waits a little so create_at values stay distinct. */
export async function post(client, channelId, message, extra = {}) {
    const created = await client.createPost({ channel_id: channelId, message, ...extra });
    await sleep(5);
    return created;
}

/** The rejected call is a ClientError with Mattermost's status_code and error id. */
export async function expectError(promise, status, id) {
    await assert.rejects(promise, (err) => {
        assert.ok(err instanceof ClientError, `expected a ClientError, got ${err}`);
        assert.equal(err.status_code, status, `status_code of ${err.url}: ${err.message}`);
        assert.equal(err.server_error_id, id, `error id of ${err.url}: ${err.message}`);
        assert.ok(err.message, 'the error has a message');
        return true;
    });
}

export { assert, sleep };
