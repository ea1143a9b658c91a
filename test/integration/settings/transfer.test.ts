import assert from 'node:assert/strict';
import type {
  ImportPreview, ImportReport, NotificationWebhookState, ServerSettings, SettingsExport,
} from '../../../backend/contract';
import { openSecrets } from '../../../backend/settings/secretsEnvelope';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

const KEY = `fk-transfer-${SECRET_MARKER}-` + Math.random().toString(36).slice(2);
const GH_TOKEN = `ghp_transfer_${SECRET_MARKER}_` + Math.random().toString(36).slice(2);
const HOOK_SECRET = `hook-secret-${SECRET_MARKER}-` + Math.random().toString(36).slice(2);
const PASS = 'a long enough passphrase';

/** Issue #15: settings export → import on a fresh server gives the same settings; secrets only with the passphrase. */
describe('settings: export and import through the API (two fresh servers)', function () {
  this.timeout(120_000);
  let a: TestApi;
  let b: TestApi;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  let plain: SettingsExport;
  let sealed: SettingsExport;

  before(async () => {
    a = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
    b = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
    alice = client(a.url, a.adminToken);
    bob = client(b.url, b.adminToken);
  });
  after(async () => {
    for (const api of [a, b]) {
      await api.close();
      removeDataDir(api.dataDir);
    }
  });

  it('settings are edited through one validated API, and exported without secrets by default', async () => {
    assert.equal((await alice.post('/api/custom-providers', {
      id: 'fakellm', name: 'Fake LLM', baseURL: 'http://127.0.0.1:9/v1', apiKey: KEY,
      models: [{ id: 'fake-model', context: 128000, output: 4096 }],
    })).status, 201);
    assert.equal((await alice.call('PUT', '/api/github/credential', { token: GH_TOKEN })).status, 200);
    const put = await alice.call<ServerSettings>('PUT', '/api/settings', {
      defaultModel: { providerId: 'fakellm', modelId: 'fake-model' },
      permissions: { bash: 'ask', webfetch: 'deny', bashRules: [{ pattern: 'git *', action: 'allow' }] },
      notificationWebhook: { url: 'https://hooks.example.com/hangar', kinds: ['done', 'failed'] },
      sync: { pullMode: 'rebase' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await alice.call('PUT', '/api/notifications/webhook', {
      url: 'https://hooks.example.com/hangar', kinds: ['done', 'failed'], secret: HOOK_SECRET,
    })).status, 200);
    const bad = await alice.call<{ error: { message: string } }>('PUT', '/api/settings', { sync: { pullMode: 'squash' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /sync\.pullMode/);

    const res = await alice.post<SettingsExport>('/api/settings/export', {});
    assert.equal(res.status, 200);
    plain = res.body;
    assert.equal(plain.format, 'hangar-settings');
    assert.equal(plain.version, 1);
    assert.equal(plain.secrets, undefined);
    const text = JSON.stringify(plain);
    for (const secret of [KEY, GH_TOKEN, HOOK_SECRET]) assert.ok(!text.includes(secret), 'no secret in a default export');
    assert.deepEqual(plain.server.github, { hosts: ['github.com'] });
    assert.deepEqual(plain.server.sync, { pullMode: 'rebase' });
  });

  it('secrets are exported only with a passphrase, and then only sealed', async () => {
    const refused = await alice.post<{ error: { code: string } }>('/api/settings/export', { includeSecrets: true });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'passphrase_required');
    sealed = (await alice.post<SettingsExport>('/api/settings/export', { includeSecrets: true, passphrase: PASS })).body;
    const text = JSON.stringify(sealed);
    for (const secret of [KEY, GH_TOKEN, HOOK_SECRET]) assert.ok(!text.includes(secret), 'sealed, not in clear');
    const opened = await openSecrets(sealed.secrets!, PASS);
    assert.deepEqual(opened, {
      providers: { fakellm: { type: 'api', key: KEY } }, github: { 'github.com': GH_TOKEN }, notificationWebhookSecret: HOOK_SECRET,
    });
  });

  it('a broken file is refused as a whole with the fields named; a sealed one needs its passphrase', async () => {
    const broken = { ...plain, server: { ...plain.server, permissions: { bash: 'perhaps' } } };
    const res = await bob.post<{ error: { code: string; message: string; details: { problems: string[] } } }>(
      '/api/settings/import', { file: broken });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_settings_file');
    assert.match(res.body.error.details.problems[0]!, /^server\.permissions\.bash:/);
    const noPass = await bob.post<{ error: { code: string } }>('/api/settings/import/preview', { file: sealed });
    assert.equal(noPass.body.error.code, 'passphrase_required');
    const wrong = await bob.post<{ error: { code: string } }>('/api/settings/import/preview', { file: sealed, passphrase: 'not the passphrase' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'wrong_passphrase');
    assert.deepEqual((await bob.get<{ items: { providerId: string }[] }>('/api/credentials')).body.items, [], 'nothing was applied');
  });

  it('all or nothing: an import that fails half-way leaves the settings as they were', async () => {
    const before = (await bob.get<ServerSettings>('/api/settings')).body;
    const bad = { ...plain, server: { ...plain.server, defaultModel: { providerId: 'fakellm', modelId: 'no-such-model' } } };
    const res = await bob.post<{ error: { code: string } }>('/api/settings/import', { file: bad });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'import_failed');
    assert.deepEqual((await bob.get<ServerSettings>('/api/settings')).body, before);
  });

  it('preview, then import on a fresh server: the same settings and secrets, each item reported', async () => {
    const preview = await bob.post<ImportPreview>('/api/settings/import/preview', { file: sealed, passphrase: PASS });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.secretsIncluded, true);
    const byItem = Object.fromEntries(preview.body.changes.map((c) => [c.item, c]));
    assert.deepEqual(byItem.defaultModel, { item: 'defaultModel', change: 'add', before: null, after: 'fakellm/fake-model' });
    assert.equal(byItem['secrets.providers.fakellm']?.after, '(secret)');
    assert.ok(!JSON.stringify(preview.body).includes(KEY));

    const started = performance.now();
    const report = await bob.post<ImportReport>('/api/settings/import', { file: sealed, passphrase: PASS });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    console.log(`      import with secrets (scrypt + apply): ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual(report.body.items.map((i) => i.item), preview.body.changes.map((c) => c.item));
    assert.ok(report.body.items.every((i) => i.outcome === (byItem[i.item]!.change === 'same' ? 'unchanged' : 'applied')));

    const onB = (await bob.get<ServerSettings>('/api/settings')).body;
    assert.deepEqual(onB, (await alice.get<ServerSettings>('/api/settings')).body);
    assert.deepEqual((await bob.get<{ items: { providerId: string }[] }>('/api/credentials')).body.items.map((c) => c.providerId), ['fakellm']);
    assert.equal((await bob.get<NotificationWebhookState>('/api/notifications/webhook')).body.webhook?.hasSecret, true);
    const again = (await bob.post<SettingsExport>('/api/settings/export', { includeSecrets: true, passphrase: PASS })).body;
    assert.deepEqual(await openSecrets(again.secrets!, PASS), await openSecrets(sealed.secrets!, PASS));

    const twice = await bob.post<ImportReport>('/api/settings/import', { file: sealed, passphrase: PASS });
    assert.ok(twice.body.items.every((i) => i.outcome === 'unchanged'), JSON.stringify(twice.body.items));
  });
});
