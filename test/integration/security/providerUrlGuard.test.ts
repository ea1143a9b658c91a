import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody } from '../../../backend/contract';
import { isPrivateAddress } from '../../../backend/providers/urlGuard';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

const custom = (baseURL: string, id = 'gw') => ({ id, name: 'Gateway', baseURL, apiKey: `sk-guard-${SECRET_MARKER}`, models: [{ id: 'm', context: 8192, output: 1024 }] });

describe('API security: provider URLs never reach loopback, private or link-local addresses unless allowed', function () {
  this.timeout(30_000);
  let api: TestApi;
  let probed = 0;
  let target: http.Server;
  let port: number;

  before(async () => {
    target = http.createServer((_req, res) => { probed++; res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"data":[]}'); });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    port = (target.address() as AddressInfo).port;
    api = await startTestApi({ HANGAR_ALLOW_PRIVATE_HOSTS: '' });
  });
  after(async () => {
    await api?.close();
    target.close();
  });

  it('classifies addresses: loopback, RFC 1918, link-local, CGNAT, ULA, mapped IPv4 are private; public ones are not', () => {
    for (const ip of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.17.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) assert.ok(isPrivateAddress(ip), ip);
    for (const ip of ['1.1.1.1', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) assert.ok(!isPrivateAddress(ip), ip);
  });

  it('refuses custom base URLs on private addresses, after DNS resolution (localhost)', async () => {
    const alice = client(api.url, api.adminToken);
    for (const url of [`http://127.0.0.1:${port}/v1`, 'http://[::1]:11434/v1', 'http://169.254.169.254/latest', 'http://10.0.0.5/v1', 'http://192.168.0.10:8080/v1',
      `http://localhost:${port}/v1`, 'http://0x7f000001/v1', 'http://2130706433/v1', 'http://127.1/v1', 'http://[::ffff:127.0.0.1]/v1']) {
      const res = await alice.post<ErrorBody>('/api/custom-providers', custom(url));
      assert.deepEqual([res.status, res.body.error.code], [400, 'private_address'], url);
    }
    assert.equal(probed, 0);
  });

  it('refuses POST /api/providers/:id/test against a private address (no port probing), and lets an allow-listed one through', async () => {
    const { id: userId } = await api.server.services.users.userByName('admin');
    // Stored before the guard existed (or by an older API): the test still refuses it.
    await api.server.services.credentials.saveCustom(userId, custom(`http://127.0.0.1:${port}/v1`, 'old'));
    const alice = client(api.url, api.adminToken);
    const res = await alice.post<ErrorBody>('/api/providers/old/test');
    assert.deepEqual([res.status, res.body.error.code], [400, 'private_address']);
    assert.equal(probed, 0, 'nothing reached the loopback server');

    const allowed = await startTestApi({ HANGAR_ALLOW_PRIVATE_HOSTS: '127.0.0.0/8' });
    try {
      const a = client(allowed.url, allowed.adminToken);
      assert.equal((await a.post('/api/custom-providers', custom(`http://127.0.0.1:${port}/v1`))).status, 201);
      const tested = await a.post<{ verdict: string }>('/api/providers/gw/test');
      assert.deepEqual([tested.status, tested.body.verdict], [200, 'ok']);
      assert.equal(probed, 1);
      assert.equal((await a.post<ErrorBody>('/api/custom-providers', custom('http://192.168.0.10/v1', 'lan'))).status, 400, 'only the allowed range');
    } finally {
      await allowed.close();
    }
  });
});
