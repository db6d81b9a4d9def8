// The integrations area's decisions (src/components/integrations/integrationsLogic.ts): which
// sections a user sees, the consent page's request and the "Deny" redirect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/components/integrations/integrationsLogic.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { integrationSections, authorizeRequest, deniedRedirect, lines } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const allOn = { EnableIncomingWebhooks: 'true', EnableOutgoingWebhooks: 'true', EnableCommands: 'true', EnableBotAccountCreation: 'true', EnableOAuthServiceProvider: 'true' };

test('a system admin sees every section the server has on', () => {
  assert.deepEqual(integrationSections(allOn, new Set(), true).map((s) => s.path), ['incoming_webhooks', 'outgoing_webhooks', 'commands', 'bots', 'oauth2-apps']);
  const off = { ...allOn, EnableOAuthServiceProvider: 'false', EnableOutgoingWebhooks: 'false', EnableCommands: 'false' };
  assert.deepEqual(integrationSections(off, new Set(), true).map((s) => s.path), ['incoming_webhooks', 'bots']);
});

test('others see the sections their roles grant', () => {
  assert.deepEqual(integrationSections(allOn, new Set(['manage_incoming_webhooks', 'create_bot', 'manage_slash_commands']), false).map((s) => s.path), ['incoming_webhooks', 'commands', 'bots']);
  assert.deepEqual(integrationSections(allOn, new Set(['create_post']), false), []);
  assert.deepEqual(integrationSections({}, new Set(['manage_oauth']), false), []);
});

test('the consent page posts the query back and "Deny" answers access_denied with the state', () => {
  const request = authorizeRequest('?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s%201&code_challenge=x&code_challenge_method=S256');
  assert.deepEqual(request, {
    response_type: 'code', client_id: 'abc', redirect_uri: 'https://app.test/cb', state: 's 1', scope: '',
    code_challenge: 'x', code_challenge_method: 'S256',
  });
  assert.equal(deniedRedirect('https://app.test/cb?tenant=7', 's 1'), 'https://app.test/cb?tenant=7&error=access_denied&state=s+1');
  assert.equal(deniedRedirect('https://app.test/cb', ''), 'https://app.test/cb?error=access_denied');
});

test('text boxes of one value a line drop blank lines', () => {
  assert.deepEqual(lines(' https://a.test/1 \n\n https://a.test/2\n'), ['https://a.test/1', 'https://a.test/2']);
});
