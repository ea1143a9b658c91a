// Issue #14: a Stop asked for while the API cannot be reached waits in the extension's outbox (its
// QueuedActions and ApiClient, minus vscode) and is carried out exactly once when the API is back, even
// when the answer to its first attempt is lost on the way (the fault proxy drops it after the API ran it).
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { ApiClient } from '../../../extension/core/apiClient';
import { realTimers } from '../../../extension/core/timers';
import { QueuedActions, type QueuedAction, type Settled } from '../../../extension/projects/queuedActions';
import { startFaultProxy, type FaultProxy } from '../../harness/faultProxy.mjs';
import { startAgentWorld, until, type AgentWorld } from '../agent/support';

/** A port that refuses connections until `open()` forwards it to `target` (the network coming back). */
async function laterLink(target: { port: number }) {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end);
    upstream.on('error', end);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('queued Stop through an outage and a lost answer (real API, real opencode)', function () {
  this.timeout(180_000);
  let world: AgentWorld | undefined;
  let proxy: FaultProxy | undefined;
  let link: Awaited<ReturnType<typeof laterLink>> | undefined;
  let outbox: QueuedActions | undefined;
  after(async () => {
    outbox?.dispose();
    await link?.close();
    await proxy?.close();
    await world?.close();
  });

  it('stores the Stop while offline, sends it by itself when the API answers, and the API stops the project once', async () => {
    world = await startAgentWorld();
    const project = world.project;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(world.api.url).port) });
    link = await laterLink({ port: Number(new URL(proxy.url).port) });
    const api = new ApiClient({ baseUrl: link.url, token: world.api.adminToken, fetch: (u, i) => globalThis.fetch(u, i), timeoutMs: 10_000 });
    let online = false;
    const keys: string[] = [];
    const saved: (readonly QueuedAction[])[] = [];
    const settled: Settled[] = [];
    outbox = new QueuedActions({
      server: () => world!.api.url,
      online: () => online,
      send: (a) => {
        keys.push(a.idempotencyKey);
        return api.stopProject(a.projectId, { idempotencyKey: a.idempotencyKey });
      },
      save: (items) => saved.push(items.map((i) => ({ ...i }))),
      settled: (s) => settled.push(s),
      timers: realTimers,
    });

    const action = outbox.add(project, 'stop');
    await outbox.drain();
    assert.deepEqual(keys, [], 'nothing is tried while the session says offline');
    assert.deepEqual(saved.at(-1)?.map((a) => [a.projectId, a.kind, a.idempotencyKey]), [[project.id, 'stop', action.idempotencyKey]]);

    // The session thinks the server is back, but the network is not: the attempt fails and the Stop stays.
    online = true;
    await outbox.drain();
    assert.equal(keys.length, 1);
    assert.equal(outbox.items.length, 1);
    assert.match(outbox.forProject(project.id)?.lastError ?? '', /ECONNREFUSED|connect|fetch failed/i);

    // The network comes back; the first answer the API gives to the Stop is lost on the way back.
    const lost = proxy.armLostAnswer((m, p) => m === 'POST' && p === `/api/projects/${project.id}/stop`);
    await link.open();
    await lost;
    const done = await until('the queued Stop to settle', () => settled[0], 60_000);
    assert.ok('operation' in done, JSON.stringify(done));
    assert.deepEqual(new Set(keys), new Set([action.idempotencyKey]), 'every attempt sent the same key');
    assert.ok(keys.length >= 3, `${keys.length} attempts`);
    assert.equal(outbox.items.length, 0);
    assert.deepEqual(saved.at(-1), []);

    const stopped = await until('the project stopped', async () => {
      const p = (await world!.alice.get<Project>(`/api/projects/${project.id}`)).body;
      return p.status === 'stopped' ? p : undefined;
    }, 60_000);
    assert.equal(stopped.status, 'stopped');
    const ops = (await world.alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items;
    const stops = ops.filter((o: Operation) => o.kind === 'stop');
    assert.deepEqual(stops.map((o) => o.id), [done.operation.id], 'the API ran one Stop, the one the outbox was told about');
    assert.equal(proxy.stats.lostAnswer, 1);
  });
});
