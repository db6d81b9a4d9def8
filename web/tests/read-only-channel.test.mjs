// Whether the composer shows in a channel (src/permissions/mayPost.ts): a read-only channel's
// member role, named after its scheme, grants no create_post; admins post anyway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/permissions/mayPost.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
const { mayPost, roleNames } = await import(`data:text/javascript,${encodeURIComponent(outputText)}`);

const permissions = {
  system_user: ['create_team'],
  team_user: ['view_team'],
  channel_user: ['read_channel', 'create_post'],
  schemeuserrole: ['add_reaction', 'remove_reaction'],
  schemeadminrole: [],
};
const member = (roles, admin = false) => ({ roles, scheme_admin: admin });

const cases = [
  ['a member of an ordinary channel', { systemRoles: 'system_user', channelMember: member('channel_user'), teamMember: member('team_user') }, true],
  ['a member of a read-only channel', { systemRoles: 'system_user', channelMember: member('schemeuserrole'), teamMember: member('team_user') }, false],
  ['its channel admin', { systemRoles: 'system_user', channelMember: member('schemeuserrole schemeadminrole', true), teamMember: member('team_user') }, true],
  ['a team admin', { systemRoles: 'system_user', channelMember: member('schemeuserrole'), teamMember: member('team_user team_admin', true) }, true],
  ['a system admin', { systemRoles: 'system_user system_admin', channelMember: member('schemeuserrole') }, true],
  ['a direct message', { systemRoles: 'system_user', channelMember: member('channel_user') }, true],
];

for (const [name, held, expected] of cases) {
  test(name, () => {
    assert.equal(mayPost({ ...held, permissions }), expected);
  });
}

test('role names are collected once each', () => {
  assert.deepEqual(
    roleNames({ systemRoles: 'system_user', channelMember: member('channel_user'), teamMember: member('team_user channel_user') }),
    ['system_user', 'channel_user', 'team_user'],
  );
});
