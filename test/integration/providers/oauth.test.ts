import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionTestResult, CredentialMeta, DeviceFlowStart, DeviceFlowStatus, ErrorBody, ProviderList, RedirectAuthorize } from '../../../backend/contract';
import { loadConfig } from '../../../backend/config';
import { createLogger } from '../../../backend/logger';
import { startServer } from '../../../backend/server';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { startAuthServer, type AuthServer } from '../../fixtures/oauth/authServer';
import { startDeviceServer, type DeviceServer } from '../../fixtures/oauth/githubDeviceServer';
import { client, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { testDatabaseEnv } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const CALLBACK = 'vscode://hangar-dev.hangar/oauth/callback';

/** Polls until `check` returns a value (not undefined); fails after `ms` with the last value seen. */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000, last?: () => Promise<unknown>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `; last: ${JSON.stringify(await last())}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file under dir whose bytes contain needle. */
function filesContaining(dir: string, needle: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && fs.readFileSync(path.join(e.parentPath, e.name)).includes(needle))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('API: provider sign-in (device flow, PKCE redirect, refresh) and connection tests', function () {
  this.timeout(60_000);
  let github: DeviceServer;
  let auth: AuthServer;
  let llm: FakeLlm;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  let aliceId: string;
  const logLines: string[] = [];
  /** Every secret this suite handles: none may reach the database file in the clear or a log line. */
  const secrets: string[] = [];

  before(async () => {
    github = await startDeviceServer();
    auth = await startAuthServer();
    llm = await startFakeLlm({ modelKeys: ['gw-good-key-0123456789'] });
    secrets.push('gw-good-key-0123456789', 'gw-wrong-key-9876543210');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-oauth-'));
    const server = await startServer(loadConfig({
      HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_LOG_LEVEL: 'debug', HANGAR_MODELS_URL: 'off', HANGAR_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      HANGAR_GITHUB_OAUTH_URL: github.url, HANGAR_COPILOT_CLIENT_ID: github.clientId,
      HANGAR_OAUTH_PROVIDERS: JSON.stringify({ openrouter: auth.providerConfig(true), mistral: auth.providerConfig(false) }),
      HANGAR_OAUTH_REFRESH_POLL_S: '3600', HANGAR_OAUTH_REFRESH_LEAD_S: '300', ...(await testDatabaseEnv(dataDir)),
    }), createLogger('debug', (line) => logLines.push(line)));
    api = { server, url: server.url, dataDir, adminToken: fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim(), close: () => server.close() };
    alice = client(api.url, api.adminToken);
    aliceId = (await alice.get<{ id: string }>('/api/me')).body.id;
    const { id } = await server.services.users.createUser('bob', 'user');
    bob = client(api.url, (await server.services.users.createToken(id, 't')).secret);
  });
  after(async () => {
    await api.close();
    await Promise.all([github.close(), auth.close(), llm.close()]);
    removeDataDir(api.dataDir);
  });

  const status = async (flowId: string, c = alice) => (await c.get<DeviceFlowStatus>(`/api/oauth/github-copilot/${flowId}`)).body;
  const startDevice = async () => {
    const res = await alice.post<DeviceFlowStart>('/api/oauth/github-copilot/start');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const settled = (flowId: string) => api.server.services.oauth.device.finished.get(flowId);

  describe('GitHub device flow (github-copilot)', () => {
    it('lists github-copilot with the device flow, and Anthropic with its API-key-only note', async () => {
      const list = (await alice.get<ProviderList>('/api/providers?q=copilot')).body.items;
      assert.deepEqual(list.find((p) => p.id === 'github-copilot')?.authMethods, ['api', 'oauth-device']);
      const anthropic = (await alice.get<ProviderList>('/api/providers?q=anthropic')).body.items.find((p) => p.id === 'anthropic')!;
      assert.deepEqual(anthropic.authMethods, ['api']);
      assert.match(anthropic.signInNote!, /Pro\/Max subscription.*not available to third-party tools/);
      const openrouter = (await alice.get<ProviderList>('/api/providers?q=openrouter')).body.items.find((p) => p.id === 'openrouter')!;
      assert.deepEqual(openrouter.authMethods, ['api', 'oauth-redirect']);
    });

    it('pending → slow_down (interval +5 s, honoured) → complete: stores opencode\'s oauth shape, configured', async () => {
      const stream = await openEventStream(api.url, api.adminToken);
      try {
        const flow = await startDevice();
        assert.match(flow.userCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
        assert.equal(flow.verificationUri, `${github.url}/login/device`);
        assert.equal(flow.interval, 1);
        assert.ok(Date.parse(flow.expiresAt) > Date.now());
        await until('authorization_pending', async () => (github.answers(flow.userCode).includes('authorization_pending') ? true : undefined));
        assert.equal((await status(flow.flowId)).status, 'pending');
        // Another user cannot see or cancel the flow.
        assert.equal((await bob.get<ErrorBody>(`/api/oauth/github-copilot/${flow.flowId}`)).status, 404);
        assert.equal((await bob.post<ErrorBody>(`/api/oauth/github-copilot/${flow.flowId}/cancel`)).status, 404);

        github.slowDownNext(flow.userCode);
        const slowed = await until('slow_down', async () => { const s = await status(flow.flowId); return s.status === 'slow_down' ? s : undefined; });
        assert.equal(slowed.interval, 6);
        const token = github.approve(flow.userCode);
        secrets.push(token);
        const done = await until('complete', async () => { const s = await status(flow.flowId); return s.status === 'complete' ? s : undefined; });
        assert.equal(done.credential?.type, 'oauth');
        assert.equal(done.credential?.providerId, 'github-copilot');
        assert.ok(!JSON.stringify(done).includes(token));
        // The poll after slow_down waited the longer interval GitHub asked for.
        assert.ok(github.gapsAfterSlowDown(flow.userCode).every((g) => g >= 5), String(github.gapsAfterSlowDown(flow.userCode)));
        assert.deepEqual(github.answers(flow.userCode).slice(-1), ['success']);
        assert.deepEqual(await api.server.services.credentials.peek(aliceId, 'github-copilot'), { type: 'oauth', refresh: token, access: token, expires: 0 });
        const configured = (await alice.get<ProviderList>('/api/providers?configured=true')).body.items.map((p) => p.id);
        assert.ok(configured.includes('github-copilot'));
        await stream.waitFor((f) => f.event === 'provider.changed' && f.data!.includes('github-copilot'));
        // A client that reconnects (another token of the same user) reads the same flow.
        const second = client(api.url, (await api.server.services.users.createToken(aliceId, 'second window')).secret);
        assert.equal((await status(flow.flowId, second)).status, 'complete');
      } finally {
        stream.close();
      }
    });

    it('access_denied → denied, expired_token → expired, each with what to do next', async () => {
      const a = await startDevice();
      github.deny(a.userCode);
      await settled(a.flowId);
      const denied = await status(a.flowId);
      assert.equal(denied.status, 'denied');
      assert.match(denied.message!, /declined on GitHub.*Start it again/);
      const b = await startDevice();
      github.expire(b.userCode);
      await settled(b.flowId);
      const expired = await status(b.flowId);
      assert.equal(expired.status, 'expired');
      assert.match(expired.message!, /expired.*Start the sign-in again/);
      assert.deepEqual(github.answers(a.userCode).slice(-1), ['access_denied']);
      assert.deepEqual(github.answers(b.userCode).slice(-1), ['expired_token']);
    });

    it('cancel stops polling and stores nothing, even when the user approves afterwards', async () => {
      await alice.del('/api/providers/github-copilot/credentials');
      const flow = await startDevice();
      const res = await alice.post<DeviceFlowStatus>(`/api/oauth/github-copilot/${flow.flowId}/cancel`);
      assert.equal(res.body.status, 'cancelled');
      github.approve(flow.userCode);
      await settled(flow.flowId);
      assert.equal((await status(flow.flowId)).status, 'cancelled');
      assert.ok(!github.answers(flow.userCode).includes('success'));
      assert.equal(await api.server.services.credentials.peek(aliceId, 'github-copilot'), undefined);
    });

    it('refuses to start when GitHub does not know the client id, saying what to check', async () => {
      const other = await startDeviceServer({ clientId: 'someone-else' });
      const svc = api.server.services.oauth.device as unknown as { opts: { oauthBaseUrl: string } };
      const saved = svc.opts.oauthBaseUrl;
      svc.opts.oauthBaseUrl = other.url;
      try {
        const res = await alice.post<ErrorBody>('/api/oauth/github-copilot/start');
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, 'device_flow_unavailable');
        assert.match(res.body.error.message, /reachable and try again/);
      } finally {
        svc.opts.oauthBaseUrl = saved;
        await other.close();
      }
    });

    it('a code that outlives expires_in ends as expired without GitHub saying so', async () => {
      const short = await startDeviceServer({ clientId: github.clientId, expiresIn: 1 });
      const svc = api.server.services.oauth.device as unknown as { opts: { oauthBaseUrl: string } };
      const saved = svc.opts.oauthBaseUrl;
      svc.opts.oauthBaseUrl = short.url;
      try {
        const flow = await startDevice();
        const s = await until('expired', async () => { const x = await status(flow.flowId); return x.status === 'expired' ? x : undefined; }, 20_000, () => status(flow.flowId));
        assert.match(s.message!, /expired/);
      } finally {
        svc.opts.oauthBaseUrl = saved;
        await short.close();
      }
    });
  });

  describe('authorisation code + PKCE redirect', () => {
    const authorize = async (provider: string, c = alice) => {
      const res = await c.post<RedirectAuthorize>(`/api/oauth/${provider}/authorize`, { redirectUri: CALLBACK });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    /** The browser's part: open the authorisation URL; the provider redirects with code and state. */
    const consent = async (authorizeUrl: string) => {
      const res = await fetch(authorizeUrl, { redirect: 'manual' });
      assert.equal(res.status, 302);
      return new URL(res.headers.get('location')!);
    };

    it('redirects to the editor with S256, exchanges the code with the verifier, and stores the token', async () => {
      const a = await authorize('openrouter');
      const q = new URL(a.authorizeUrl).searchParams;
      assert.deepEqual([q.get('response_type'), q.get('client_id'), q.get('redirect_uri'), q.get('code_challenge_method'), q.get('state')], ['code', auth.clientId, CALLBACK, 'S256', a.state]);
      assert.equal(a.editorRedirect, true);
      const back = await consent(a.authorizeUrl);
      assert.equal(`${back.protocol}//${back.host}${back.pathname}`, CALLBACK);
      assert.equal(back.searchParams.get('state'), a.state);
      const res = await alice.post<CredentialMeta>('/api/oauth/openrouter/callback', { state: a.state, code: back.searchParams.get('code') });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual([res.body.type, res.body.status], ['oauth', 'ok']);
      assert.ok(res.body.expiresAt && Date.parse(res.body.expiresAt) > Date.now() + 3000_000);
      const issued = auth.issued.at(-1)!;
      secrets.push(issued.access, issued.refresh);
      assert.equal(issued.grant, 'authorization_code');
      const stored = await api.server.services.credentials.peek(aliceId, 'openrouter');
      assert.deepEqual(stored && { ...stored, expires: 0 }, { type: 'oauth', access: issued.access, refresh: issued.refresh, expires: 0 });
      // The same answer again: rejected, and no second exchange.
      const again = await alice.post<ErrorBody>('/api/oauth/openrouter/callback', { state: a.state, code: back.searchParams.get('code') });
      assert.deepEqual([again.status, again.body.error.code], [409, 'state_used']);
    });

    it('rejects a wrong state, another user\'s state, and an expired one', async () => {
      const a = await authorize('openrouter');
      const back = await consent(a.authorizeUrl);
      const code = back.searchParams.get('code')!;
      const wrong = await alice.post<ErrorBody>('/api/oauth/openrouter/callback', { state: 'x'.repeat(43), code });
      assert.deepEqual([wrong.status, wrong.body.error.code], [400, 'invalid_state']);
      assert.match(wrong.body.error.message, /Start the sign-in again/);
      const stolen = await bob.post<ErrorBody>('/api/oauth/openrouter/callback', { state: a.state, code });
      assert.deepEqual([stolen.status, stolen.body.error.code], [400, 'invalid_state']);
      const otherProvider = await alice.post<ErrorBody>('/api/oauth/mistral/callback', { state: a.state, code });
      assert.equal(otherProvider.status, 400);
      await api.server.services.db.updateTable('oauth_flows').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('kind', '=', 'redirect').where('status', '=', 'pending').execute();
      const late = await alice.post<ErrorBody>('/api/oauth/openrouter/callback', { state: a.state, code });
      assert.deepEqual([late.status, late.body.error.code], [400, 'state_expired']);
      const unknown = await alice.post<ErrorBody>('/api/oauth/openai/authorize', { redirectUri: CALLBACK });
      assert.equal(unknown.status, 404);
    });

    it('paste fallback: a provider that shows the code on its own page; code#state pasted back', async () => {
      const a = await authorize('mistral');
      assert.equal(a.editorRedirect, false);
      assert.equal(new URL(a.authorizeUrl).searchParams.get('redirect_uri'), `${auth.url}/code`);
      const page = await consent(a.authorizeUrl);
      const shown = await auth.codePage(page.toString());
      const [code, state] = shown.split('#');
      assert.equal(state, a.state);
      const res = await alice.post<CredentialMeta>('/api/oauth/mistral/callback', { state, code });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      secrets.push(auth.issued.at(-1)!.access, auth.issued.at(-1)!.refresh);
    });
  });

  describe('refresh', () => {
    it('refreshes a credential before it expires and pushes provider.changed', async () => {
      auth.setExpiresIn(60);
      const a = await alice.post<RedirectAuthorize>('/api/oauth/openrouter/authorize', { redirectUri: CALLBACK });
      const back = new URL((await fetch(a.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!);
      await alice.post('/api/oauth/openrouter/callback', { state: a.body.state, code: back.searchParams.get('code') });
      const before = auth.issued.at(-1)!;
      secrets.push(before.access, before.refresh);
      auth.setExpiresIn(3600);
      const stream = await openEventStream(api.url, api.adminToken);
      try {
        const report = await api.server.services.oauth.refresher.runOnce();
        assert.deepEqual(report.refreshed, [`${aliceId}/openrouter`]);
        const after = auth.issued.at(-1)!;
        secrets.push(after.access, after.refresh);
        assert.equal(after.grant, 'refresh_token');
        const stored = await api.server.services.credentials.peek(aliceId, 'openrouter');
        assert.equal(stored?.type === 'oauth' && stored.access, after.access);
        const meta = (await alice.get<{ items: CredentialMeta[] }>('/api/credentials')).body.items.find((c) => c.providerId === 'openrouter')!;
        assert.ok(Date.parse(meta.expiresAt!) > Date.now() + 3000_000);
        await stream.waitFor((f) => f.event === 'provider.changed' && f.data!.includes('openrouter'));
        // Not due any more: a second pass refreshes nothing.
        assert.deepEqual((await api.server.services.oauth.refresher.runOnce()).refreshed, []);
      } finally {
        stream.close();
      }
    });

    it('a failed refresh marks the credential needs_sign_in and tells the clients', async () => {
      await api.server.services.db.updateTable('provider_credentials').set({ expires_at: new Date(Date.now() + 60_000).toISOString() })
        .where('provider_id', '=', 'openrouter').execute();
      auth.revokeRefreshTokens();
      const stream = await openEventStream(api.url, api.adminToken);
      try {
        const report = await api.server.services.oauth.refresher.runOnce();
        assert.deepEqual(report.failed, [`${aliceId}/openrouter`]);
        assert.equal(auth.tokenAnswers.at(-1), 'invalid_grant');
        const meta = (await alice.get<{ items: CredentialMeta[] }>('/api/credentials')).body.items.find((c) => c.providerId === 'openrouter')!;
        assert.equal(meta.status, 'needs_sign_in');
        assert.match(meta.statusReason!, /invalid_grant.*Sign in again/);
        await stream.waitFor((f) => f.event === 'provider.changed' && f.data!.includes('openrouter'));
        // Flagged credentials are not retried on every pass.
        assert.deepEqual(await api.server.services.oauth.refresher.runOnce(), { refreshed: [], failed: [] });
      } finally {
        stream.close();
      }
    });
  });

  describe('Test Provider Connection', () => {
    const custom = async (id: string, baseURL: string, apiKey?: string) => {
      const res = await alice.post('/api/custom-providers', { id, name: id, baseURL, models: [{ id: 'fake-model', context: 8192, output: 1024 }], ...(apiKey ? { apiKey } : {}) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };

    it('ok with the right key, bad_key with a wrong one, unreachable when nothing listens; with latency', async () => {
      await custom('gw-good', llm.baseUrl, 'gw-good-key-0123456789');
      await custom('gw-bad', llm.baseUrl, 'gw-wrong-key-9876543210');
      const closed = await import('node:net').then((net) => new Promise<number>((resolve) => {
        const srv = net.createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address() as import('node:net').AddressInfo; srv.close(() => resolve(port)); });
      }));
      await custom('gw-down', `http://127.0.0.1:${closed}/v1`);
      const good = await alice.post<ConnectionTestResult>('/api/providers/gw-good/test');
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.deepEqual([good.body.verdict, good.body.httpStatus], ['ok', 200]);
      assert.ok(Number.isInteger(good.body.latencyMs) && good.body.latencyMs >= 0);
      const bad = await alice.post<ConnectionTestResult>('/api/providers/gw-bad/test');
      assert.deepEqual([bad.body.verdict, bad.body.httpStatus], ['bad_key', 401]);
      assert.match(bad.body.message, /rejected the credential/);
      assert.ok(!bad.body.message.includes('gw-wrong-key'));
      const down = await alice.post<ConnectionTestResult>('/api/providers/gw-down/test');
      assert.deepEqual([down.body.verdict, down.body.httpStatus], ['unreachable', null]);
      assert.match(down.body.message, /unreachable \(ECONNREFUSED\)/);
    });

    it('says a catalog provider without a credential must be configured first; bob cannot test alice\'s provider', async () => {
      const res = await alice.post<ErrorBody>('/api/providers/openai/test');
      assert.deepEqual([res.status, res.body.error.code], [409, 'not_configured']);
      assert.equal((await bob.post<ErrorBody>('/api/providers/gw-good/test')).status, 404);
    });
  });

  describe('at the end', () => it('no secret of this suite is in the database files or any log line', () => {
    assert.ok(secrets.length >= 8);
    for (const s of secrets) {
      assert.deepEqual(filesContaining(api.dataDir, s), [], `a secret is stored in the clear`);
      assert.ok(!logLines.some((l) => l.includes(s)), 'a secret reached the log');
    }
  }));
});
