import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { CredentialMeta, CustomProvider, DefaultModel, EffectiveModel, ErrorBody, ModelList, Project, ProviderList } from '../../../backend/contract';
import os from 'node:os';
import { loadConfig } from '../../../backend/config';
import { createLogger } from '../../../backend/logger';
import { startServer } from '../../../backend/server';
import { client, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { startModelsServer, type ModelsServer } from './modelsServer';
import { testDatabaseEnv } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

const KEY = `sk-${SECRET_MARKER}-` + 'a1b2c3d4e5f6a7b8c9d0' + 'f3a9';
const CUSTOM_KEY = `gw-${SECRET_MARKER}-` + Math.random().toString(36).slice(2) + 'zz99';

/** Every file under dir whose bytes contain needle (the SQLite file, its WAL, logs...). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    if (fs.readFileSync(file).includes(needle)) hits.push(file);
  }
  return hits;
}

describe('API: providers, credentials and default models', function () {
  this.timeout(30_000);
  let models: ModelsServer;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;

  /** Every line the API logs, at debug level: no secret may ever appear in one. */
  const logLines: string[] = [];

  before(async () => {
    models = await startModelsServer();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-providers-'));
    const server = await startServer(
      loadConfig({ HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_LOG_LEVEL: 'debug', HANGAR_MODELS_URL: models.url, HANGAR_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
        ...(await testDatabaseEnv(dataDir)) }),
      createLogger('debug', (line) => logLines.push(line)),
    );
    api = { server, url: server.url, dataDir, adminToken: fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim(), close: () => server.close() };
    alice = client(api.url, api.adminToken);
    const { id } = await api.server.services.users.createUser('bob', 'user');
    bob = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
  });
  after(async () => {
    await api.close();
    await models.close();
    removeDataDir(api.dataDir);
  });

  it('lists the catalog with env names, doc, model count and auth methods; searches and filters', async () => {
    const res = await alice.get<ProviderList>('/api/providers');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.catalog.source, 'live');
    const openai = res.body.items.find((p) => p.id === 'openai');
    assert.deepEqual(openai, {
      id: 'openai', name: 'OpenAI', env: ['OPENAI_API_KEY'], doc: 'https://platform.openai.com/docs/models', modelCount: 2,
      configured: false, custom: false, authMethods: ['api'], isDefault: false, signInNote: null,
    });
    assert.deepEqual(res.body.items.find((p) => p.id === 'github-copilot')?.authMethods, ['api', 'oauth-device']);
    assert.deepEqual((await alice.get<ProviderList>('/api/providers?q=router')).body.items.map((p) => p.id), ['openrouter']);
    assert.deepEqual((await alice.get<ProviderList>('/api/providers?configured=true')).body.items, []);
  });

  it("lists a provider's models with limits, capabilities and cost per 1M tokens; ids with / and : work", async () => {
    const res = await alice.get<ModelList>('/api/providers/openai/models');
    assert.deepEqual(res.body.items.find((m) => m.id === 'gpt-4.1'), {
      id: 'gpt-4.1', name: 'GPT-4.1', family: 'fam', limit: { context: 128000, output: 16384 },
      capabilities: { toolCall: true, reasoning: false, attachment: true, modalities: { input: ['text', 'image'], output: ['text'] } },
      cost: { input: 2, output: 8, cacheRead: 0.5, cacheWrite: null }, isDefault: false,
    });
    const odd = (await alice.get<ModelList>('/api/providers/openrouter/models')).body.items;
    assert.deepEqual(odd.map((m) => [m.id, m.cost, m.limit.context]), [['meta-llama/llama-3.1-8b:free', null, null], ['no-limits', null, null]]);
    assert.equal((await alice.get<ErrorBody>('/api/providers/nope/models')).status, 404);
  });

  it('stores an API key sealed: only a masked hint comes back, never the key, not in the database file or events', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      const res = await alice.post<CredentialMeta>('/api/providers/openai/credentials', { type: 'api', key: KEY });
      assert.equal(res.status, 201);
      assert.equal(res.body.hint, 'sk-…f3a9');
      assert.deepEqual([res.body.providerId, res.body.type, res.body.lastUsedAt, res.body.expiresAt], ['openai', 'api', null, null]);
      await stream.waitFor((f) => f.event === 'provider.changed');
      const list = await alice.get<{ items: CredentialMeta[] }>('/api/credentials');
      assert.deepEqual(list.body.items.map((c) => c.providerId), ['openai']);
      assert.ok(!JSON.stringify(list.body).includes(KEY));
      assert.ok(!stream.events().some((f) => (f.data ?? '').includes(KEY)), 'no secret in an event');
      const providers = (await alice.get<ProviderList>('/api/providers?configured=true')).body.items;
      assert.deepEqual(providers.map((p) => p.id), ['openai']);
      assert.deepEqual((await bob.get<{ items: CredentialMeta[] }>('/api/credentials')).body.items, [], "bob does not see alice's");
      const row = await api.server.services.db.selectFrom('provider_credentials').selectAll().executeTakeFirstOrThrow();
      assert.match(row.secret_enc, /^v1\./);
      assert.deepEqual(filesContaining(api.dataDir, KEY), [], 'the key is nowhere in clear under the data dir');
    } finally {
      await stream.close();
    }
  });

  it('refuses bad keys and unknown providers', async () => {
    for (const key of ['', '   ', 'sk with space', 'sk-\nline', 'x'.repeat(5000)]) {
      const res = await alice.post<ErrorBody>('/api/providers/openai/credentials', { type: 'api', key });
      assert.equal(res.status, 400, JSON.stringify(key.slice(0, 20)));
    }
    assert.equal((await alice.post<ErrorBody>('/api/providers/openai/credentials', { type: 'oauth', key: 'k' })).status, 400);
    assert.equal((await alice.post<ErrorBody>('/api/providers/nope/credentials', { type: 'api', key: 'sk-abc' })).status, 404);
  });

  it('adds a custom OpenAI-compatible provider: configured, marked custom, key sealed; refuses a catalog id and bad URLs', async () => {
    const body = {
      id: 'gateway', name: 'Company gateway', baseURL: 'http://127.0.0.1:9/v1', apiKey: CUSTOM_KEY,
      models: [{ id: 'llama3:8b', context: 8192, output: 2048 }, { id: 'org/big', name: 'Big', context: 200000, output: 8192 }],
    };
    const res = await alice.post<CustomProvider>('/api/custom-providers', body);
    assert.equal(res.status, 201);
    assert.deepEqual([res.body.id, res.body.hasKey, res.body.models[0]], ['gateway', true, { id: 'llama3:8b', name: 'llama3:8b', context: 8192, output: 2048 }]);
    assert.ok(!JSON.stringify(res.body).includes(CUSTOM_KEY));
    const listed = (await alice.get<ProviderList>('/api/providers?configured=true')).body.items;
    assert.deepEqual(listed.map((p) => [p.id, p.custom, p.modelCount]), [['gateway', true, 2], ['openai', false, 2]]);
    assert.deepEqual((await bob.get<ProviderList>('/api/providers?q=gateway')).body.items, [], 'custom providers are per user');
    assert.equal((await alice.post<ErrorBody>('/api/custom-providers', { ...body, id: 'openai' })).status, 409);
    for (const baseURL of ['ftp://x/v1', 'http://user:pw@x/v1', 'not a url']) {
      assert.equal((await alice.post<ErrorBody>('/api/custom-providers', { ...body, baseURL })).status, 400, baseURL);
    }
    assert.deepEqual(filesContaining(api.dataDir, CUSTOM_KEY), []);
  });

  it('sets the default model, marks it in lists, and refuses unknown models', async () => {
    assert.deepEqual((await alice.get<DefaultModel>('/api/me/default-model')).body, { providerId: null, modelId: null });
    const res = await alice.call<DefaultModel>('PUT', '/api/me/default-model', { providerId: 'openai', modelId: 'gpt-4.1' });
    assert.deepEqual([res.status, res.body], [200, { providerId: 'openai', modelId: 'gpt-4.1' }]);
    assert.equal((await alice.get<ProviderList>('/api/providers?q=openai')).body.items[0]!.isDefault, true);
    assert.deepEqual((await alice.get<ModelList>('/api/providers/openai/models')).body.items.filter((m) => m.isDefault).map((m) => m.id), ['gpt-4.1']);
    assert.equal((await alice.call<ErrorBody>('PUT', '/api/me/default-model', { providerId: 'openai', modelId: 'nope' })).status, 404);
  });

  it("overrides a project's provider and model, and falls back to the default when cleared", async () => {
    const project = (await alice.post<Project>('/api/projects', { name: 'models' })).body;
    assert.deepEqual((await alice.get<EffectiveModel>(`/api/projects/${project.id}/model`)).body,
      { providerId: 'openai', modelId: 'gpt-4.1', source: 'user-default', configured: true });
    const set = await alice.call<EffectiveModel>('PUT', `/api/projects/${project.id}/model`, { providerId: 'gateway', modelId: 'org/big' });
    assert.deepEqual(set.body, { providerId: 'gateway', modelId: 'org/big', source: 'project', configured: true });
    assert.equal((await alice.get<Project>(`/api/projects/${project.id}`)).body.providerOverride, 'gateway');
    const cleared = await alice.call<EffectiveModel>('PUT', `/api/projects/${project.id}/model`, { providerId: null, modelId: null });
    assert.equal(cleared.body.source, 'user-default');
    assert.equal((await bob.get<ErrorBody>(`/api/projects/${project.id}/model`)).status, 404);
  });

  it('deletes credentials and custom providers', async () => {
    assert.equal((await alice.del('/api/providers/openai/credentials')).status, 204);
    assert.equal((await alice.del<ErrorBody>('/api/providers/openai/credentials')).status, 404);
    assert.equal((await alice.del('/api/custom-providers/gateway')).status, 204);
    assert.deepEqual((await alice.get<{ items: CredentialMeta[] }>('/api/credentials')).body.items, []);
    assert.deepEqual((await alice.get<ProviderList>('/api/providers?configured=true')).body.items, []);
  });

  it('never logged a secret', () => {
    assert.ok(logLines.some((l) => l.includes('/api/providers/openai/credentials')), 'requests were logged at debug level');
    for (const secret of [KEY, CUSTOM_KEY]) assert.deepEqual(logLines.filter((l) => l.includes(secret)), []);
  });
});
