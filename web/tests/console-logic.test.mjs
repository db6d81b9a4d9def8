// The System Console's pure logic (src/components/admin): the config patch a save sends, the
// settings MM_* variables lock, error lines, chart scaling, role strings and permission edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

async function load(file) {
  const source = readFileSync(new URL(`../src/components/admin/${file}`, import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
  return import(`data:text/javascript,${encodeURIComponent(outputText)}`);
}

const form = await load('configForm.ts');
const charts = await load('charts.ts');
const roles = await load('roles.ts');
const perms = await load('permissions.ts');
const doctor = await load('doctor.ts');

const saved = {
  TeamSettings: { SiteName: 'Utmost', MaxUsersPerTeam: 50 },
  AnnouncementSettings: { EnableBanner: false, BannerText: '' },
  ServiceSettings: { SiteURL: 'http://localhost:8065' },
};

test('getAt and setAt follow dotted paths without touching the original', () => {
  assert.equal(form.getAt(saved, 'TeamSettings.SiteName'), 'Utmost');
  assert.equal(form.getAt(saved, 'Nope.Key'), undefined);
  const edited = form.setAt(saved, 'TeamSettings.SiteName', 'Acme');
  assert.equal(edited.TeamSettings.SiteName, 'Acme');
  assert.equal(edited.TeamSettings.MaxUsersPerTeam, 50);
  assert.equal(saved.TeamSettings.SiteName, 'Utmost');
  assert.equal(edited.ServiceSettings, saved.ServiceSettings, 'untouched sections are shared');
  assert.deepEqual(form.setAt({}, 'New.Key', 1), { New: { Key: 1 } });
});

test('the patch holds only the changed keys, nested by section', () => {
  let edited = form.setAt(saved, 'AnnouncementSettings.EnableBanner', true);
  edited = form.setAt(edited, 'AnnouncementSettings.BannerText', 'Maintenance at noon');
  const keys = ['TeamSettings.SiteName', 'TeamSettings.MaxUsersPerTeam', 'AnnouncementSettings.EnableBanner', 'AnnouncementSettings.BannerText'];
  assert.deepEqual(form.buildPatch(saved, edited, keys), {
    AnnouncementSettings: { EnableBanner: true, BannerText: 'Maintenance at noon' },
  });
  assert.deepEqual(form.buildPatch(saved, saved, keys), {});
  assert.deepEqual(form.patchKeys(form.buildPatch(saved, edited, keys)), ['AnnouncementSettings.EnableBanner', 'AnnouncementSettings.BannerText']);
});

test('a key outside the page or locked by an MM_ variable stays out of the patch', () => {
  let edited = form.setAt(saved, 'ServiceSettings.SiteURL', 'https://chat.example.com');
  edited = form.setAt(edited, 'TeamSettings.SiteName', 'Acme');
  const environment = { ServiceSettings: { SiteURL: true } };
  assert.equal(form.isLocked(environment, 'ServiceSettings.SiteURL'), true);
  assert.equal(form.isLocked(environment, 'TeamSettings.SiteName'), false);
  assert.deepEqual(form.buildPatch(saved, edited, ['ServiceSettings.SiteURL', 'TeamSettings.SiteName'], environment), { TeamSettings: { SiteName: 'Acme' } });
  assert.deepEqual(form.buildPatch(saved, edited, ['TeamSettings.MaxUsersPerTeam']), {});
});

test('inputs become config values of the right type', () => {
  assert.equal(form.fromInput('bool', true), true);
  assert.equal(form.fromInput('bool', false), false);
  assert.equal(form.fromInput('number', '25'), 25);
  assert.equal(form.fromInput('number', 'abc'), 'abc', 'left for the server to refuse');
  assert.equal(form.fromInput('text', 'x'), 'x');
});

test("the server's error shows its message and id", () => {
  const error = { message: 'Site name must be less than or equal to 30 characters.', server_error_id: 'model.config.is_valid.sitename_length.app_error', status_code: 400 };
  assert.equal(form.describeError(error), 'Site name must be less than or equal to 30 characters. (model.config.is_valid.sitename_length.app_error 400)');
  assert.equal(form.describeError({ message: 'plain' }), 'plain');
  assert.equal(form.describeError(null), 'Something went wrong. Please try again.');
});

test('axis tops are round numbers at or above the maximum', () => {
  assert.equal(charts.niceMax(0), 1);
  assert.equal(charts.niceMax(1), 1);
  assert.equal(charts.niceMax(7), 10);
  assert.equal(charts.niceMax(13), 20);
  assert.equal(charts.niceMax(41), 50);
  assert.equal(charts.niceMax(500), 500);
  assert.equal(charts.niceMax(501), 1000);
  assert.deepEqual(charts.ticks(20), [0, 5, 10, 15, 20]);
  assert.deepEqual(charts.ticks(50), [0, 10, 20, 30, 40, 50]);
  assert.deepEqual(charts.ticks(100), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(charts.ticks(10, 2), [0, 5, 10]);
});

test('bars fill the width and scale to the axis top', () => {
  const points = [{ name: '2026-12-01', value: 10 }, { name: '2026-12-02', value: 5 }, { name: '2026-12-03', value: 0 }];
  const b = charts.bars(points, 300, 100, 0);
  assert.equal(b.length, 3);
  assert.deepEqual(b.map((x) => x.x), [0, 100, 200]);
  assert.deepEqual(b.map((x) => x.height), [100, 50, 0]);
  assert.deepEqual(b.map((x) => x.y), [0, 50, 100]);
  assert.deepEqual(charts.bars([], 300, 100), []);
});

test('the line passes through slot centres', () => {
  const points = [{ name: 'a', value: 0 }, { name: 'b', value: 2 }];
  assert.equal(charts.linePath(points, 200, 100), 'M50,100 L150,0');
  assert.equal(charts.linePath([], 200, 100), '');
});

test('days are charted oldest first', () => {
  const newestFirst = [{ name: '2026-12-03', value: 1 }, { name: '2026-12-01', value: 2 }, { name: '2026-12-02', value: 3 }];
  assert.deepEqual(charts.byDay(newestFirst).map((p) => p.name), ['2026-12-01', '2026-12-02', '2026-12-03']);
});

test('system roles: the choice, its label and the new roles string', () => {
  assert.equal(roles.roleChoice('system_user'), 'system_user');
  assert.equal(roles.roleChoice('system_user system_admin'), 'system_user system_admin');
  assert.equal(roles.roleChoice('system_admin system_user'), 'system_user system_admin');
  assert.equal(roles.roleChoice('system_user system_read_only_admin'), 'system_user system_read_only_admin');
  assert.equal(roles.roleLabel('system_guest'), 'Guest');
  assert.equal(roles.roleLabel('system_user system_user_manager'), 'User manager');
  assert.equal(roles.withSystemRole('system_user system_admin', 'system_user system_manager'), 'system_user system_manager');
  assert.equal(roles.withSystemRole('system_user custom_role', 'system_user'), 'system_user custom_role');
});

test('permission edits: catalogue rows, toggles and the roles that changed', () => {
  const rows = perms.permissionRows('channel', ['create_post', 'zz_custom']);
  assert.equal(rows[0][0], 'create_post');
  assert.deepEqual(rows.at(-1), ['zz_custom', 'zz_custom'], 'permissions outside the catalogue stay visible');
  assert.deepEqual(perms.togglePermission(['read_channel', 'create_post'], 'create_post', false), ['read_channel']);
  assert.deepEqual(perms.togglePermission(['read_channel'], 'create_post', true), ['create_post', 'read_channel']);
  assert.deepEqual(perms.togglePermission(['create_post'], 'create_post', true), ['create_post']);
  const before = { a: ['x', 'y'], b: ['x'] };
  assert.deepEqual(perms.changedRoles(before, { a: ['y', 'x'], b: [] }), ['b']);
  assert.deepEqual(perms.SCHEME_ROLES.channel.map(([field]) => field), ['default_channel_admin_role', 'default_channel_user_role', 'default_channel_guest_role']);
});

test('the rollout checklist shows failures, then warnings, then passes, each in the server order', () => {
  const f = (code, verdict) => ({ code, check: code, verdict, detail: '', fix: '' });
  const shown = doctor.worstFirst([f('A', 'pass'), f('B', 'warn'), f('C', 'fail'), f('D', 'pass'), f('E', 'fail')]);
  assert.deepEqual(shown.map((x) => x.code), ['C', 'E', 'B', 'A', 'D']);
});
