// Files for the browser tests, made here: PNG pictures of one colour (a real PNG, which the
// server decodes to make its thumbnail and preview), and a small web site with an OpenGraph page
// and its picture, for link previews.
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

/** A width × height PNG filled with one [r, g, b] colour. */
export function png(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Serves `pages` ({ path: { type, body } }) on a free port of 127.0.0.1; counts the requests per path. */
export async function startSite(pages) {
  const hits = {};
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://site').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const page = pages[path];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': page.type, 'Content-Length': Buffer.byteLength(page.body) });
    res.end(page.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
