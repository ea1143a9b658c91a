import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { SettingsExport } from '../../../../backend/contract';
import {
  parseImportFile, portableKeys, previewLines, updateFromEdit, withClientSettings,
} from '../../../../extension/settings/settingsModel';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
};
const server: SettingsExport = {
  format: 'hangar-settings', version: 1, exportedAt: '2026-12-07T17:00:00.000Z',
  server: {
    defaultModel: null, permissions: { bash: 'deny' }, notificationWebhook: null, customProviders: [],
    github: { hosts: [] }, sync: { pullMode: 'merge' },
  },
};

describe('extension/settings/settingsModel', () => {
  it('checks an edit with the API\'s own schema and names the wrong field', () => {
    assert.deepEqual(updateFromEdit({ section: 'pullMode', value: 'rebase' }), { ok: true, body: { sync: { pullMode: 'rebase' } } });
    const bad = updateFromEdit({ section: 'permissions', value: { bashRules: [{ pattern: '  ', action: 'ask' }] } });
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error : '', /^permissions\.bashRules\.0\.pattern: a command pattern/);
  });

  it('exports only portable client settings (machine-scoped paths stay on this machine)', () => {
    const declared = Object.entries(manifest.contributes.configuration.properties).map(([key, p]) => ({ key, scope: p.scope as string }));
    const keys = portableKeys(declared);
    assert.ok(keys.includes('hangar.notifications.quietHours'));
    assert.ok(!keys.includes('hangar.localTokenFile'));
    assert.ok(!keys.includes('hangar.nodePath'));
    const file = withClientSettings(server, { 'hangar.sync.pullMode': 'rebase' });
    assert.deepEqual(file.client, { 'hangar.sync.pullMode': 'rebase' });
  });

  it('reads an import file whole: JSON, then every field, before anything is applied', () => {
    assert.match((parseImportFile('{', []) as { error: string }).error, /not JSON/);
    const wrong = parseImportFile(JSON.stringify({ ...server, version: 3 }), []);
    assert.match((wrong as { error: string }).error, /^Not a settings file Hangar can import: version:/);
    const ok = parseImportFile(JSON.stringify({ ...server, client: { 'hangar.sync.pullMode': 'rebase', 'hangar.nodePath': '/x' } }),
      ['hangar.sync.pullMode']);
    assert.ok(ok.ok);
    if (ok.ok) {
      assert.deepEqual(ok.client, { 'hangar.sync.pullMode': 'rebase' });
      assert.deepEqual(ok.unknownClientKeys, ['hangar.nodePath']);
    }
  });

  it('previews only what changes, server items then client settings', () => {
    const lines = previewLines({
      secretsIncluded: false,
      changes: [
        { item: 'permissions', change: 'change', before: '{"bash":"ask"}', after: '{"bash":"deny"}' },
        { item: 'sync.pullMode', change: 'same', before: 'merge', after: 'merge' },
        { item: 'customProviders.x', change: 'add', before: null, after: 'X at https://x.example/v1, 1 model(s)' },
      ],
    }, { 'hangar.sync.pullMode': 'rebase', 'hangar.notifications.sound': false }, { 'hangar.notifications.sound': false });
    assert.deepEqual(lines, [
      '~ permissions: {"bash":"ask"} → {"bash":"deny"}',
      '+ customProviders.x: X at https://x.example/v1, 1 model(s)',
      '~ hangar.sync.pullMode: undefined → "rebase"',
    ]);
  });

  it('every hangar.* setting has a description, a scope, a default, and labels for its enum values', () => {
    for (const [key, p] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(typeof (p.markdownDescription ?? p.description) === 'string', `${key}: description`);
      assert.ok(typeof p.scope === 'string', `${key}: scope`);
      assert.ok('default' in p, `${key}: default`);
      if (Array.isArray(p.enum)) {
        const labels = p.enumDescriptions ?? p.markdownEnumDescriptions;
        assert.ok(Array.isArray(labels) && labels.length === p.enum.length, `${key}: a label for each enum value`);
      }
    }
  });
});
