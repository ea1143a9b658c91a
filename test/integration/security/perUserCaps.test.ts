import assert from 'node:assert/strict';
import type { DeviceFlowStart, ErrorBody } from '../../../backend/contract';
import { MAX_DEVICE_FLOWS_PER_USER } from '../../../backend/oauth/deviceFlow';
import { MAX_STREAMS_PER_USER } from '../../../backend/compositionRoot';
import { startDeviceServer, type DeviceServer } from '../../fixtures/oauth/githubDeviceServer';
import { client, startTestApi, type TestApi } from '../support/apiServer';

describe('API security: per-user caps on event streams and device sign-ins (429)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let github: DeviceServer;
  let malloryToken: string;

  before(async () => {
    github = await startDeviceServer();
    api = await startTestApi({ HANGAR_GITHUB_OAUTH_URL: github.url, HANGAR_COPILOT_CLIENT_ID: github.clientId, HANGAR_MODELS_URL: 'off' });
    const { id } = await api.server.services.users.createUser('mallory', 'user');
    malloryToken = (await api.server.services.users.createToken(id, 'caps')).secret;
  });
  after(async () => {
    await api?.close();
    await github?.close();
  });

  const openStream = async (token: string) => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/events`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
    return { res, close: () => controller.abort() };
  };

  it(`holds at most ${MAX_STREAMS_PER_USER} event streams per user; one more is 429, a closed one frees its slot; other users are not affected`, async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) {
      const s = await openStream(malloryToken);
      assert.equal(s.res.status, 200, `stream ${i + 1}`);
      open.push(s);
    }
    const extra = await openStream(malloryToken);
    assert.equal(extra.res.status, 429);
    assert.equal(((await extra.res.json()) as ErrorBody).error.code, 'too_many_concurrent');
    const admin = await openStream(api.adminToken);
    assert.equal(admin.res.status, 200, 'the cap is per user');
    admin.close();
    open.pop()!.close();
    let again = await openStream(malloryToken);
    for (let i = 0; again.res.status === 429 && i < 50; i++) { // the server sees the close a moment later
      await new Promise((r) => setTimeout(r, 50));
      again = await openStream(malloryToken);
    }
    assert.equal(again.res.status, 200);
    again.close();
    for (const s of open) s.close();
  });

  it(`holds at most ${MAX_DEVICE_FLOWS_PER_USER} pending device sign-ins per user; cancelling one frees its slot`, async () => {
    const mallory = client(api.url, malloryToken);
    const flows: DeviceFlowStart[] = [];
    for (let i = 0; i < MAX_DEVICE_FLOWS_PER_USER; i++) {
      const res = await mallory.post<DeviceFlowStart>('/api/oauth/github-copilot/start');
      assert.equal(res.status, 201, JSON.stringify(res.body));
      flows.push(res.body);
    }
    const extra = await mallory.post<ErrorBody>('/api/oauth/github-copilot/start');
    assert.deepEqual([extra.status, extra.body.error.code], [429, 'too_many_concurrent']);
    assert.equal((await client(api.url, api.adminToken).post('/api/oauth/github-copilot/start')).status, 201, 'the cap is per user');
    assert.equal((await mallory.post(`/api/oauth/github-copilot/${flows[0]!.flowId}/cancel`)).status < 300, true);
    await api.server.services.oauth.device.finished.get(flows[0]!.flowId);
    assert.equal((await mallory.post('/api/oauth/github-copilot/start')).status, 201);
  });
});
