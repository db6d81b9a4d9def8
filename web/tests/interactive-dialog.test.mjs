// An interactive dialog's form (src/interactive/dialogForm.ts): starting values, Mattermost's
// checks before a submission (required, lengths, subtypes, radio options), and what is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/interactive/dialogForm.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { initialValues, elementError, formErrors, submission } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const el = (name, type, more = {}) => ({ display_name: name, name, type, ...more });

test('elements start from their defaults, a bool from "true"', () => {
  const elements = [el('a', 'text', { default: 'hi' }), el('b', 'bool', { default: 'true' }), el('c', 'bool'), el('d', 'select')];
  assert.deepEqual(initialValues(elements), { a: 'hi', b: true, c: false, d: '' });
});

test('the checks a value goes through', () => {
  const cases = [
    [el('x', 'text'), '', 'This field is required.'],
    [el('x', 'text', { optional: true }), '', ''],
    [el('x', 'bool'), false, 'This field is required.'],
    [el('x', 'bool', { optional: true }), false, ''],
    [el('x', 'text', { min_length: 3 }), 'ab', 'Minimum input length is 3.'],
    [el('x', 'text', { min_length: 3 }), 'abc', ''],
    [el('x', 'textarea', { max_length: 4 }), 'abcde', 'Maximum input length is 4.'],
    [el('x', 'text', { subtype: 'email' }), 'nobody', 'Must be a valid email address.'],
    [el('x', 'text', { subtype: 'email' }), 'a@b.c', ''],
    [el('x', 'text', { subtype: 'number' }), '12a', 'Must be a number.'],
    [el('x', 'text', { subtype: 'number' }), '12.5', ''],
    [el('x', 'text', { subtype: 'url' }), 'example.com', 'URL must include http:// or https://.'],
    [el('x', 'text', { subtype: 'url' }), 'https://example.com', ''],
    [el('x', 'radio', { options: [{ text: 'A', value: 'a' }] }), 'z', 'Must be a valid option.'],
    [el('x', 'radio', { options: [{ text: 'A', value: 'a' }] }), 'a', ''],
    [el('x', 'select', { data_source: 'users' }), '', 'This field is required.'],
  ];
  for (const [element, value, expected] of cases) {
    assert.equal(elementError(element, value), expected, `${JSON.stringify(element)} with ${JSON.stringify(value)}`);
  }
});

test('the form lists each failing field and sends typed values', () => {
  const elements = [el('name', 'text'), el('age', 'text', { subtype: 'number', optional: true }), el('ok', 'bool', { optional: true }), el('note', 'textarea', { optional: true })];
  assert.deepEqual(formErrors(elements, { name: '', age: 'x', ok: false, note: '' }), {
    name: 'This field is required.',
    age: 'Must be a number.',
  });
  assert.deepEqual(formErrors(elements, { name: 'n', age: '', ok: false, note: '' }), {});
  assert.deepEqual(submission(elements, { name: 'n', age: '42', ok: true, note: '' }), { name: 'n', age: 42, ok: true });
});
