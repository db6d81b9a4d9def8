// Which messages count as telling the whole channel (src/notifications/channelWide.ts), the
// trigger of the confirmation before @all/@channel/@here reach a big channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/notifications/channelWide.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { channelWideMention } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const cases = [
  ['@all please read', 'all'],
  ['hello @channel', 'channel'],
  ['heads up, @here!', 'here'],
  ['@Channel shouting', 'channel'],
  ['(@here) in brackets', 'here'],
  ['end of a sentence @all.', 'all'],
  ['no mention at all', null],
  ['mail me at ops@all.example.com', null],
  ['@allison is not everyone', null],
  ['@here-and-there is a name', null],
  ['@channel_ops is a name', null],
  ['`@all` in code', null],
  ['```\n@channel in a block\n```', null],
  ['```\nstill in an open block @here', null],
  ['code `x` then @here', 'here'],
];

for (const [message, expected] of cases) {
  test(`${JSON.stringify(message)} → ${expected}`, () => {
    assert.equal(channelWideMention(message), expected);
  });
}
