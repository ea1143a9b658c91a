import assert from 'node:assert/strict';
import type { ServerSettings, SettingsExport } from '../../../../backend/contract';
import type { HttpError } from '../../../../backend/errors';
import { planChanges, validateFile } from '../../../../backend/settings/importPlan';

const settings = (over: Partial<ServerSettings> = {}): ServerSettings => ({
  defaultModel: null, permissions: {}, notificationWebhook: null, customProviders: [], github: { hosts: [] },
  sync: { pullMode: 'merge' }, ...over,
});
const file = (server: ServerSettings): SettingsExport => ({
  format: 'hangar-settings', version: 1, exportedAt: '2026-12-07T17:00:00.000Z', server,
});
const none = { providers: {}, github: {}, notificationWebhookSecret: null };

describe('settings/importPlan', () => {
  it('accepts an exported file as it is', () => {
    const f = file(settings({ permissions: { bash: 'deny' } }));
    assert.deepEqual(validateFile(JSON.parse(JSON.stringify(f))), f);
  });

  it('refuses a file with every wrong field named, before anything is applied', () => {
    const bad = { ...file(settings()), version: 2, server: { ...settings(), permissions: { bash: 'sometimes' }, sync: {} } };
    assert.throws(() => validateFile(bad), (e: HttpError) => {
      const problems = (e.details as { problems: string[] }).problems;
      assert.equal(e.status, 400);
      assert.equal(e.code, 'invalid_settings_file');
      assert.ok(problems.some((p) => p.startsWith('version:')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('server.permissions.bash:')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('server.sync.pullMode:')), problems.join('\n'));
      return true;
    });
    assert.throws(() => validateFile('not json at all'), (e: HttpError) => e.code === 'invalid_settings_file');
  });

  it('previews each item: replaced sections, added providers, secrets only as "(secret)"', () => {
    const now = { settings: settings({ permissions: { bash: 'ask' } }), secrets: { ...none, github: { 'github.com': 'ghp_old_token_123' } } };
    const next = settings({
      defaultModel: { providerId: 'fake', modelId: 'm1' }, permissions: { bash: 'ask' }, sync: { pullMode: 'rebase' },
      customProviders: [{ id: 'fake', name: 'Fake', baseURL: 'https://llm.example.com/v1', models: [{ id: 'm1', context: 1000, output: 100 }] }],
    });
    const changes = planChanges(now, file(next), { ...none, github: { 'github.com': 'ghp_new_token_456' } });
    assert.deepEqual(changes, [
      { item: 'defaultModel', change: 'add', before: null, after: 'fake/m1' },
      { item: 'permissions', change: 'same', before: '{"bash":"ask"}', after: '{"bash":"ask"}' },
      { item: 'notificationWebhook', change: 'same', before: null, after: null },
      { item: 'sync.pullMode', change: 'change', before: 'merge', after: 'rebase' },
      { item: 'customProviders.fake', change: 'add', before: null, after: 'Fake at https://llm.example.com/v1, 1 model(s)' },
      { item: 'secrets.github.github.com', change: 'change', before: '(secret)', after: '(secret)' },
    ]);
  });
});
