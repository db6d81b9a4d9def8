// Link previews through Client4: the opengraph endpoint (Client4 11 has no named method for
// it any more, so it goes through the client's own doFetch) and posts' embeds. run.sh
// allows 127.0.0.2 (AllowedUntrustedInternalConnections) as an admin would an intranet;
// 127.0.0.1 stays refused, and its site must receive no request.

import { test } from 'node:test';
import http from 'node:http';
import {
    assert, createChannel, createTeam, post, signUp,
} from '../helpers.mjs';

const PAGE = `<html><head>
<meta property="og:type" content="website">
<meta property="og:title" content="Intranet Home">
</head><body></body></html>`;

/** A site on one loopback address that records the paths it was asked for. */
async function site(host) {
    const requests = [];
    const server = http.createServer((req, res) => {
        requests.push(req.url);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(PAGE);
    });
    await new Promise((resolve) => server.listen(0, host, resolve));
    return {
        url: `http://${host}:${server.address().port}`,
        requests,
        close: () => new Promise((resolve) => server.close(resolve)),
    };
}

function opengraph(client, url) {
    return client.doFetch(`${client.getBaseRoute()}/opengraph`, { method: 'post', body: JSON.stringify({ url }) });
}

test('opengraph answers an allowed page and nothing of loopback', async () => {
    const { client } = await signUp();
    const allowed = await site('127.0.0.2');
    const refused = await site('127.0.0.1');
    try {
        const og = await opengraph(client, `${allowed.url}/home`);
        assert.equal(og.title, 'Intranet Home');
        assert.equal(og.type, 'website');
        const nothing = await opengraph(client, `${refused.url}/home`);
        assert.equal(nothing.title, '');
        assert.deepEqual(allowed.requests, ['/home']);
        assert.deepEqual(refused.requests, []);
    } finally {
        await allowed.close();
        await refused.close();
    }
});

test('posts embed their first link, and reads return it', async () => {
    const { client } = await signUp();
    const team = await createTeam(client);
    const channel = await createChannel(client, team.id);
    const allowed = await site('127.0.0.2');
    const refused = await site('127.0.0.1');
    try {
        const link = `${allowed.url}/news`;
        const created = await post(client, channel.id, `see ${link}`);
        const [embed] = created.metadata.embeds;
        assert.equal(embed.type, 'opengraph');
        assert.equal(embed.url, link);
        assert.equal(embed.data.title, 'Intranet Home');
        const read = await client.getPost(created.id);
        assert.deepEqual(read.metadata.embeds, created.metadata.embeds);
        const inside = `${refused.url}/secret`;
        const blocked = await post(client, channel.id, inside);
        assert.deepEqual(blocked.metadata.embeds, [{ type: 'link', url: inside }]);
        assert.deepEqual(allowed.requests, ['/news']);
        assert.deepEqual(refused.requests, []);
    } finally {
        await allowed.close();
        await refused.close();
    }
});
