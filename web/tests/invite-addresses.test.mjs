// How typed addresses are split in the invitation dialog (src/addresses.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/addresses.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { addresses } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

test('commas, semicolons, spaces and new lines separate addresses; blanks are dropped', () => {
  assert.deepEqual(addresses(' a@example.com, b@example.com;c@example.com\nd@example.com  '), [
    'a@example.com',
    'b@example.com',
    'c@example.com',
    'd@example.com',
  ]);
  assert.deepEqual(addresses(' , ;\n'), []);
});
