// The composer's slash command rules (src/commands/slash.ts): which messages are commands, what
// a suggestion puts in the box, and where a goto_location leads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/commands/slash.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const slash = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

test('a message beginning with a slash is a command; a leading space or a lone slash is not', () => {
  assert.equal(slash.isSlashCommand('/echo hi'), true);
  assert.equal(slash.isSlashCommand(' /echo hi'), false);
  assert.equal(slash.isSlashCommand('/'), false);
  assert.equal(slash.isSlashCommand('hello'), false);
});

test('suggestions are asked for on one line that begins with a slash', () => {
  assert.equal(slash.wantsSuggestions('/ec'), true);
  assert.equal(slash.wantsSuggestions('/code a\nb'), false);
  assert.equal(slash.wantsSuggestions('see /x'), false);
});

test('a suggestion completes the command and leaves room for what follows', () => {
  const trigger = { Complete: 'echo', Suggestion: 'echo', Hint: "'message'", Description: 'Echo back' };
  assert.equal(slash.completion(trigger), '/echo ');
  assert.deepEqual(slash.describe(trigger), { label: '/echo', detail: "'message' — Echo back" });
  const sub = { Complete: 'jira create', Suggestion: 'create', Hint: '', Description: 'Create' };
  assert.equal(slash.completion(sub), '/jira create ');
  assert.deepEqual(slash.describe(sub), { label: 'create', detail: 'Create' });
  const text = { Complete: 'jira create ', Suggestion: '', Hint: '[title]', Description: '' };
  assert.equal(slash.completion(text), '/jira create ');
});

test('a goto_location inside the site is a path for the router; another site opens apart', () => {
  const origin = 'https://chat.example.com';
  assert.deepEqual(slash.destination('https://chat.example.com/team/channels/x', origin), { path: '/team/channels/x' });
  assert.deepEqual(slash.destination('/login', origin), { path: '/login' });
  assert.deepEqual(slash.destination('https://mattermost.com/pl/help/', origin), { external: 'https://mattermost.com/pl/help/' });
  assert.deepEqual(slash.destination('//evil.example', origin), { external: '//evil.example' });
  assert.equal(slash.destination('', origin), null);
});
