// Which channel a team opens on (src/landing.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/landing.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { landingChannel } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const channel = (id, name, display_name, team_id = 't1', delete_at = 0) => ({ id, name, display_name, team_id, delete_at });
const channels = [
  channel('a', 'town-square', 'Town Square'),
  channel('b', 'zeta', 'Zeta'),
  channel('c', 'launch', 'Launch Pad'),
  channel('d', 'archived', 'Aardvarks', 't1', 1),
  channel('e', 'other-team', 'Alpha', 't2'),
];

test('a member of Town Square lands there', () => {
  assert.equal(landingChannel(channels, () => true, 't1'), 'town-square');
});

test("a guest lands in the first of their team's channels by name, never an archived one or another team's", () => {
  const guestOf = new Set(['b', 'c', 'd', 'e']);
  assert.equal(landingChannel(channels, (id) => guestOf.has(id), 't1'), 'launch');
});

test('someone in no channel of the team is sent to Town Square (which the server then explains)', () => {
  assert.equal(landingChannel(channels, () => false, 't1'), 'town-square');
});
