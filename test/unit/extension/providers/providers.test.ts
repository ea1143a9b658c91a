import assert from 'node:assert/strict';
import type { CredentialMeta, ModelSummary, ProviderSummary } from '../../../../backend/contract';
import { ApiClient } from '../../../../extension/core/apiClient';
import { ApiError } from '../../../../extension/core/apiError';
import {
  catalogPicks, modelPicks, projectProviderPicks, providerDescription, providerRows, providerStatus, signInChoices,
} from '../../../../extension/providers/providersModel';
import { json, startServer, type TestServer } from '../builders';

function aProvider(over: Partial<ProviderSummary> = {}): ProviderSummary {
  return { id: 'openai', name: 'OpenAI', env: ['OPENAI_API_KEY'], doc: null, modelCount: 3, configured: false, custom: false, authMethods: ['api'], isDefault: false, signInNote: null, ...over };
}
function aCredential(over: Partial<CredentialMeta> = {}): CredentialMeta {
  return { providerId: 'openai', type: 'api', hint: 'sk-…f3a9', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z', lastUsedAt: null, expiresAt: null, status: 'ok', statusReason: null, ...over };
}
function aModel(over: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id: 'gpt-4.1', name: 'GPT-4.1', family: null, limit: { context: 128_000, output: 16_000 },
    capabilities: { toolCall: true, reasoning: false, attachment: false, modalities: { input: ['text'], output: ['text'] } },
    cost: { input: 2, output: 8, cacheRead: null, cacheWrite: null }, isDefault: false, ...over,
  };
}
const noDefault = { providerId: null, modelId: null };
const flowStart = { flowId: '00000000-0000-4000-8000-000000000002', userCode: 'WXYZ-9876', verificationUri: 'https://github.com/login/device', expiresAt: '2030-01-01T00:00:00.000Z', interval: 5 };
const flowStatus = (status: string) => ({ ...flowStart, providerId: 'github-copilot', status, message: null, credential: null });

describe('providersModel', () => {
  it('describes providers as "N models · configured"', () => {
    assert.equal(providerDescription(aProvider({ configured: true })), '3 models · configured');
    assert.equal(providerDescription(aProvider({ modelCount: 1, custom: true, isDefault: true, configured: true })), '1 model · custom · configured · default');
    assert.equal(providerDescription(aProvider()), '3 models');
  });

  it('lists the catalog with configured providers first, then by name', () => {
    const picks = catalogPicks([aProvider({ id: 'z', name: 'Zeta' }), aProvider({ id: 'a', name: 'Alpha' }), aProvider({ id: 'm', name: 'Mu', configured: true })]);
    assert.deepEqual(picks.map((p) => p.providerId), ['m', 'a', 'z']);
    assert.equal(picks[0]!.description, '3 models · configured');
  });

  it('offers the device flow and the browser sign-in before the API key; Anthropic\'s note comes with its key', () => {
    assert.deepEqual(signInChoices(aProvider()).map((c) => c.method), ['api']);
    const copilot = signInChoices(aProvider({ id: 'github-copilot', name: 'GitHub Copilot', authMethods: ['api', 'oauth-device'] }));
    assert.deepEqual(copilot.map((c) => c.method), ['oauth-device', 'api']);
    assert.match(copilot[0]!.label, /Sign in with GitHub/);
    assert.deepEqual(signInChoices(aProvider({ authMethods: ['api', 'oauth-redirect'] })).map((c) => c.method), ['oauth-redirect', 'api']);
    const note = 'Signing in with a Claude Pro/Max subscription is not available to third-party tools.';
    const anthropic = signInChoices(aProvider({ id: 'anthropic', name: 'Anthropic', signInNote: note }));
    assert.equal(anthropic[0]!.detail, note);
    const pick = catalogPicks([aProvider({ id: 'anthropic', name: 'Anthropic', signInNote: note }), aProvider({ id: 'github-copilot', name: 'GitHub Copilot', authMethods: ['api', 'oauth-device'] })]);
    assert.equal(pick[0]!.detail, `anthropic · API key · ${note}`);
    assert.equal(pick[1]!.detail, 'github-copilot · API key, GitHub sign-in');
  });

  it('gives each configured provider a row with status and masked hint, the default starred first', () => {
    const rows = providerRows({
      providers: [aProvider({ configured: true }), aProvider({ id: 'anthropic', name: 'Anthropic', configured: true, isDefault: true }), aProvider({ id: 'ollama', name: 'Ollama', custom: true, configured: true })],
      credentials: [aCredential(), aCredential({ providerId: 'anthropic', hint: 'sk-…0000' })],
      defaultModel: { providerId: 'anthropic', modelId: 'claude-sonnet-4' },
    });
    assert.deepEqual(rows.map((r) => r.id), ['provider:anthropic', 'provider:ollama', 'provider:openai']);
    assert.equal(rows[0]!.icon.id, 'star-full');
    assert.equal(rows[0]!.contextValue, 'provider.default');
    assert.equal(rows[0]!.description, 'ok · sk-…0000 · default · claude-sonnet-4');
    assert.equal(rows[1]!.description, 'custom, no key');
    assert.equal(rows[2]!.description, 'ok · sk-…f3a9');
    assert.equal(rows[2]!.contextValue, 'provider');
  });

  it('marks a failed refresh and a failed connection test in the row, with a "Sign in again" context', () => {
    const rows = providerRows({
      providers: [aProvider({ configured: true }), aProvider({ id: 'gh', name: 'GH', configured: true })],
      credentials: [aCredential(), aCredential({ providerId: 'gh', type: 'oauth', status: 'needs_sign_in', statusReason: 'Refreshing the sign-in failed (invalid_grant). Sign in again.' })],
      defaultModel: noDefault,
      tests: new Map([['openai', { verdict: 'bad_key' as const, latencyMs: 12, message: 'api.openai.com rejected the credential (401).', httpStatus: 401 }]]),
    });
    assert.deepEqual(rows.map((r) => [r.label, r.description, r.contextValue, r.icon.id]), [
      ['GH', 'needs sign-in · sk-…f3a9', 'provider.signIn', 'warning'],
      ['OpenAI', 'failing · sk-…f3a9', 'provider', 'error'],
    ]);
    assert.match(rows[0]!.tooltip!, /invalid\\_grant/);
    assert.match(rows[1]!.tooltip!, /Last test: bad key in 12 ms/);
  });

  it('marks an expired OAuth credential as needing sign-in', () => {
    const now = Date.parse('2025-06-01T00:00:00.000Z');
    assert.equal(providerStatus(aCredential({ type: 'oauth', expiresAt: '2025-05-01T00:00:00.000Z' }), false, now).text, 'needs sign-in');
    assert.equal(providerStatus(aCredential({ type: 'oauth', expiresAt: '2025-07-01T00:00:00.000Z' }), false, now).text, 'ok');
  });

  it('lists models with the current default first', () => {
    const picks = modelPicks([aModel({ id: 'a', name: 'A' }), aModel({ id: 'b', name: 'B', cost: null, limit: { context: null, output: null } })], { providerId: 'openai', modelId: 'b' }, 'openai');
    assert.deepEqual(picks.map((p) => p.modelId), ['b', 'a']);
    assert.equal(picks[0]!.description, 'b · current default');
    assert.equal(picks[1]!.description, 'a · 128k context · $2/$8 per 1M');
  });

  it('offers "Use default (X)" and every configured provider in Create Project', () => {
    const configured = [aProvider({ id: 'z', name: 'Zeta', configured: true }), aProvider({ configured: true, isDefault: true })];
    const picks = projectProviderPicks(configured, { providerId: 'openai', modelId: 'gpt-4.1' });
    assert.deepEqual(picks.map((p) => [p.label, p.providerId]), [['Use default (OpenAI)', null], ['OpenAI', 'openai'], ['Zeta', 'z']]);
    assert.equal(picks[0]!.description, 'gpt-4.1');
    assert.deepEqual(projectProviderPicks([], noDefault).map((p) => p.label), ['Use default']);
  });
});

describe('ApiClient: providers and credentials', () => {
  let server: TestServer;
  const bodies: Array<{ method: string; url: string; body: string }> = [];
  const client = () => new ApiClient({ baseUrl: server.url, token: 'tok-123456789', fetch, timeoutMs: 500 });

  beforeEach(async () => {
    bodies.length = 0;
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        bodies.push({ method: req.method!, url: req.url!, body });
        switch (`${req.method} ${req.url}`) {
          case 'GET /api/providers?q=open&configured=true':
            return json(res, 200, { items: [aProvider({ configured: true })], catalog: { source: 'snapshot', fetchedAt: null, stale: false } });
          case 'GET /api/providers/a%2Fb/models': return json(res, 200, { items: [aModel()] });
          case 'POST /api/providers/openai/credentials': return json(res, 201, aCredential());
          case 'POST /api/providers/nope/credentials': return json(res, 404, { error: { code: 'not_found', message: 'no provider "nope"' } });
          case 'DELETE /api/providers/openai/credentials': res.writeHead(204); return res.end();
          case 'GET /api/credentials': return json(res, 200, { items: [aCredential()] });
          case 'GET /api/me/default-model': return json(res, 200, noDefault);
          case 'PUT /api/me/default-model': return json(res, 200, JSON.parse(body));
          case 'GET /api/projects/p1/model': return json(res, 200, { providerId: null, modelId: null, source: 'none', configured: false });
          case 'PUT /api/projects/p1/model': return json(res, 200, { ...JSON.parse(body), source: 'project', configured: true });
          case 'POST /api/custom-providers':
            return json(res, 201, { id: 'ollama', name: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', models: [{ id: 'l', name: 'l', context: 1, output: 1 }], hasKey: false, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' });
          case 'GET /api/providers': return json(res, 200, { items: [{ id: 'broken' }], catalog: { source: 'live', fetchedAt: null, stale: false } });
          case 'POST /api/providers/openai/test': return json(res, 200, { verdict: 'bad_key', latencyMs: 12, message: 'rejected', httpStatus: 401 });
          case 'POST /api/oauth/github-copilot/start': return json(res, 201, flowStart);
          case `GET /api/oauth/github-copilot/${flowStart.flowId}`: return json(res, 200, flowStatus('slow_down'));
          case `POST /api/oauth/github-copilot/${flowStart.flowId}/cancel`: return json(res, 200, flowStatus('cancelled'));
          case 'POST /api/oauth/openrouter/authorize': return json(res, 201, { authorizeUrl: 'https://a.test/authorize?x=1', state: 's'.repeat(43), expiresAt: '2030-01-01T00:00:00.000Z', editorRedirect: true });
          case 'POST /api/oauth/openrouter/callback': return json(res, 201, aCredential({ providerId: 'openrouter', type: 'oauth' }));
          default: return json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
        }
      });
    });
  });
  afterEach(() => server.close());

  it('lists, filters and reads models, parsing the contract', async () => {
    const list = await client().providers({ q: 'open', configured: true });
    assert.deepEqual(list.items, [aProvider({ configured: true })]);
    assert.equal(list.catalog.source, 'snapshot');
    assert.deepEqual(await client().providerModels('a/b'), [aModel()]);
    const bad = await client().providers().catch((e: unknown) => e);
    assert.ok(bad instanceof ApiError && bad.code === 'invalid_response');
  });

  it('stores a key as {type:"api", key} and gets only metadata back; deletes it; lists masked credentials', async () => {
    const meta = await client().setCredential('openai', 'sk-secret-1234567890');
    assert.equal(meta.hint, 'sk-…f3a9');
    assert.deepEqual(JSON.parse(bodies[0]!.body), { type: 'api', key: 'sk-secret-1234567890' });
    const err = await client().setCredential('nope', 'k').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 404);
    await client().deleteCredential('openai');
    assert.deepEqual(await client().credentials(), [aCredential()]);
  });

  it('tests a provider, follows a device flow, and completes a browser sign-in with the contract\'s shapes', async () => {
    assert.equal((await client().testProvider('openai')).verdict, 'bad_key');
    assert.deepEqual(await client().startDeviceFlow('github-copilot'), flowStart);
    assert.equal((await client().deviceFlow('github-copilot', flowStart.flowId)).status, 'slow_down');
    assert.equal((await client().cancelDeviceFlow('github-copilot', flowStart.flowId)).status, 'cancelled');
    assert.equal((await client().authorizeRedirect('openrouter', 'vscode://hangar-dev.hangar/oauth/callback')).editorRedirect, true);
    assert.deepEqual(JSON.parse(bodies.at(-1)!.body), { redirectUri: 'vscode://hangar-dev.hangar/oauth/callback' });
    assert.equal((await client().completeRedirect('openrouter', 's'.repeat(43), 'code1')).type, 'oauth');
    assert.deepEqual(JSON.parse(bodies.at(-1)!.body), { state: 's'.repeat(43), code: 'code1' });
  });

  it('reads and sets the default model, a project model, and adds a custom provider', async () => {
    assert.deepEqual(await client().defaultModel(), noDefault);
    assert.deepEqual(await client().setDefaultModel({ providerId: 'openai', modelId: 'gpt-4.1' }), { providerId: 'openai', modelId: 'gpt-4.1' });
    assert.equal((await client().projectModel('p1')).source, 'none');
    assert.equal((await client().setProjectModel('p1', { providerId: 'openai', modelId: 'gpt-4.1' })).source, 'project');
    const custom = await client().createCustomProvider({ id: 'ollama', name: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', models: [{ id: 'l', context: 1, output: 1 }] });
    assert.equal(custom.hasKey, false);
  });
});
