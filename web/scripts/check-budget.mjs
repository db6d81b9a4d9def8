// Fails the build when the JavaScript a first visit loads (the entry chunk and the chunks
// index.html preloads) is over budget once gzipped.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_BYTES = 300 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const pattern = /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g;
const files = [...new Set([...html.matchAll(pattern)].map((m) => m[1]))];
if (files.length === 0) {
  console.error('budget: index.html references no JavaScript; is dist/ a Vite build?');
  process.exit(1);
}
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`budget: ${file} ${(size / 1024).toFixed(1)} KB gzipped`);
}
const verdict = total <= BUDGET_BYTES ? 'ok' : 'OVER BUDGET';
console.log(`budget: initial JavaScript ${(total / 1024).toFixed(1)} KB of ${BUDGET_BYTES / 1024} KB gzipped: ${verdict}`);
if (total > BUDGET_BYTES) process.exit(1);
