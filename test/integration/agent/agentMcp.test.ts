// MCP servers of a project through the agent proxy (opencode's /mcp routes), against the real
// opencode on the local runtime and a small MCP server on loopback.
import assert from 'node:assert/strict';
import type { AgentMcpStatus, ErrorBody } from '../../../backend/contract';
import { startFakeMcp, type FakeMcp } from '../../fixtures/fakeMcp/server';
import { startAgentWorld, until, type AgentWorld } from './support';

describe('MCP servers through the agent proxy (real opencode)', function () {
  this.timeout(120_000);
  let w: AgentWorld;
  let mcp: FakeMcp;

  before(async function () {
    this.timeout(120_000);
    mcp = await startFakeMcp();
    w = await startAgentWorld();
  });
  after(async () => { await w?.close(); await mcp?.close(); });

  it('adds a remote server, lists it connected, disconnects and connects it again', async () => {
    const none = await w.alice.get<AgentMcpStatus>(`${w.base}/mcp`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, {});
    const added = await w.alice.post<AgentMcpStatus>(`${w.base}/mcp`, { name: 'fake', config: { type: 'remote', url: mcp.url } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(added.body.fake, { status: 'connected' });
    assert.ok(mcp.calls.includes('initialize') && mcp.calls.includes('tools/list'), mcp.calls.join(','));
    assert.equal((await w.alice.post(`${w.base}/mcp/fake/disconnect`, {})).status, 200);
    assert.equal((await w.alice.get<AgentMcpStatus>(`${w.base}/mcp`)).body.fake?.status, 'disabled');
    assert.equal((await w.alice.post(`${w.base}/mcp/fake/connect`, {})).status, 200);
    await until('connected again', async () => ((await w.alice.get<AgentMcpStatus>(`${w.base}/mcp`)).body.fake?.status === 'connected' ? true : undefined));
  });

  it('reports a server it cannot reach as failed, with the reason', async () => {
    const added = await w.alice.post<AgentMcpStatus>(`${w.base}/mcp`, { name: 'gone', config: { type: 'remote', url: 'http://127.0.0.1:1/mcp', timeout: 2000 } });
    assert.equal(added.status, 200);
    assert.equal(added.body.gone?.status, 'failed');
    assert.ok(added.body.gone?.error);
  });

  it('refuses bodies and names the contract does not allow, before anything reaches the agent', async () => {
    const bad = async (body: unknown) => (await w.alice.post<ErrorBody>(`${w.base}/mcp`, body)).body.error?.code;
    assert.equal(await bad({ name: 'x', config: { type: 'shell', command: 'rm -rf /' } }), 'validation_failed');
    assert.equal(await bad({ name: '../x', config: { type: 'remote', url: mcp.url } }), 'validation_failed');
    assert.equal(await bad({ name: 'x', config: { type: 'remote', url: 'file:///etc/passwd' } }), 'validation_failed');
    assert.equal(await bad({ name: 'x', config: { type: 'local', command: [] } }), 'validation_failed');
    assert.equal(await bad({ name: 'x', config: { type: 'local', command: ['x'] }, extra: 1 }), 'validation_failed');
    assert.equal((await w.alice.post(`${w.base}/mcp/a%2Fb/connect`, {})).status, 400);
    assert.equal((await w.mallory.get(`${w.base}/mcp`)).status, 404, 'another user\'s project');
  });
});
