// Preferences: save, read back, delete.

import { test } from 'node:test';
import {
    assert, expectError, signUp, unique,
} from '../helpers.mjs';

const byName = (a, b) => a.name.localeCompare(b.name);

test('save, get and delete preferences', async () => {
    const { client, user } = await signUp();
    const category = unique('compat_');
    const theme = { user_id: user.id, category, name: 'theme', value: 'dark' };
    const sidebar = { user_id: user.id, category, name: 'sidebar', value: 'compact' };

    assert.deepEqual(await client.savePreferences(user.id, [theme, sidebar]), { status: 'OK' });
    const mine = (await client.getMyPreferences()).filter((p) => p.category === category);
    assert.deepEqual(mine.sort(byName), [sidebar, theme]);
    assert.deepEqual(
        (await client.getUserPreferences(user.id)).filter((p) => p.category === category).sort(byName),
        [sidebar, theme],
    );

    await client.savePreferences(user.id, [{ ...theme, value: 'light' }]);
    const updated = (await client.getMyPreferences()).find((p) => p.category === category && p.name === 'theme');
    assert.equal(updated.value, 'light');

    assert.deepEqual(await client.deletePreferences(user.id, [theme]), { status: 'OK' });
    const remaining = (await client.getMyPreferences()).filter((p) => p.category === category);
    assert.deepEqual(remaining, [sidebar]);
});

test('another user\'s preferences are forbidden', async () => {
    const me = await signUp();
    const other = await signUp();
    await expectError(me.client.getUserPreferences(other.user.id), 403, 'api.context.permissions.app_error');
    await expectError(
        me.client.savePreferences(other.user.id, [{ user_id: other.user.id, category: 'compat', name: 'x', value: 'y' }]),
        403,
        'api.context.permissions.app_error',
    );
});
