// Issue #14: the chat host (the extension's ChatController, ApiClient and EventStream, minus vscode)
// reaches the real API through a TCP fault proxy; 100 disconnects are injected while prompts are sent
// (resets and stalls, mid-POST, answers lost after the API ran the request, event streams cut). Every
// prompt must reach the agent exactly once and in order: its /session/:id/message is the judge.
import assert from 'node:assert/strict';
import type { ChatHostToWebview } from '../../../webviews/protocol/chat';
import { startFaultProxy, type FaultProxy, type RequestMatch } from '../../harness/faultProxy.mjs';
import { startAgentWorld, until, type AgentWorld } from '../agent/support';
import { startChatHost, type ChatHost } from '../chat/chatHost';

const FAULTS = Number(process.env.HANGAR_FAULTS ?? 100);
const SEED = Number(process.env.HANGAR_FAULT_SEED ?? Date.now() % 100_000);

/** mulberry32: the same seed injects the same faults in the same order. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chat outbox through injected disconnects (real API, real opencode, fake LLM)', function () {
  this.timeout(900_000);
  let world: AgentWorld;
  let proxy: FaultProxy;
  let host: ChatHost;
  after(async () => {
    host?.close();
    await proxy?.close();
    await world?.close();
  });

  it(`delivers every prompt exactly once, in order, through ${FAULTS} disconnects`, async () => {
    world = await startAgentWorld();
    await until('the agent to answer', async () => ((await world.alice.get(`${world.base}/session`)).status === 200 ? true : undefined), 90_000);
    // The chat opens on the agent's latest session and creates none by itself (a first send would): make one.
    assert.equal((await world.alice.post(`${world.base}/session`, {})).status, 200);
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(world.api.url).port) });
    host = startChatHost(world, { baseUrl: proxy.url, timeoutMs: 15_000 });
    await until('the stream', () => (host.stream.state.kind === 'open' ? true : undefined), 15_000);
    await until('the chat to load', async () => {
      await host.controller.onReady();
      return host.controller.activeSession ?? undefined;
    }, 60_000);
    const sessionId = host.controller.activeSession!;
    assert.ok(sessionId);
    const rng = seeded(SEED);
    const isPrompt: RequestMatch = (m, p) => m === 'POST' && p.endsWith('/prompt_async');
    const fired = () => proxy.stats.midRequest + proxy.stats.lostAnswer + proxy.stats.midStream + proxy.stats.stalls + proxy.stats.resets;
    const sent: string[] = [];
    let injecting = true;
    const started = Date.now();

    const producer = (async () => {
      for (let n = 1; injecting || n <= 20; n++) {
        const text = `prompt ${String(n).padStart(3, '0')}`;
        sent.push(text);
        void Promise.resolve(host.controller.handlers['chat.send']({
          type: 'chat.send', requestId: `r${n}`, sessionId, text, mentions: [], model: { providerId: 'fake', modelId: 'fake-model' },
        })).catch(() => undefined);
        await sleep(250 + rng() * 350);
      }
    })();

    // An answer lost and a request cut are armed again as soon as the last one fired (each on the next
    // prompt POST); resets, stalls and stream cuts come at random in between.
    let lostArmed = false;
    let midArmed = false;
    while (fired() < FAULTS) {
      await sleep(150 + rng() * 250);
      if (!lostArmed) {
        lostArmed = true;
        void proxy.armLostAnswer(isPrompt).then(() => { lostArmed = false; });
      }
      if (!midArmed && rng() < 0.5) {
        midArmed = true;
        void proxy.armMidRequest(isPrompt, 0.2 + rng() * 0.7).then(() => { midArmed = false; });
      }
      const r = rng();
      if (r < 0.12) proxy.cutStream(rng);
      else if (r < 0.22) proxy.stall(400 + rng() * 2000, rng);
      else if (r < 0.3) proxy.reset(rng);
    }
    injecting = false;
    proxy.disarm();
    await producer;
    const faultsDone = Date.now();

    const lastQueue = () => [...host.posted].reverse().find((m): m is Extract<ChatHostToWebview, { type: 'chat.queue' }> => m.type === 'chat.queue');
    await until('the outbox to drain', () => (lastQueue()?.items.length === 0 ? true : undefined), 120_000).catch(async (e: Error) => {
      // What the host believes (its private state, read for the failure message only) against what the agent says.
      const c = host.controller as unknown as { loaded: boolean; activity: { status: Map<string, string>; awaiting: Map<string, number> } };
      const agent = await world.alice.get(`${world.base}/session/status`);
      throw new Error(`${e.message}; the queue: ${JSON.stringify(lastQueue()?.items.slice(0, 3))}; stats ${JSON.stringify(proxy.stats)}; `
        + `host loaded=${c.loaded} status=${JSON.stringify([...c.activity.status])} awaiting=${JSON.stringify([...c.activity.awaiting])} `
        + `stream=${host.stream.state.kind}; agent status ${JSON.stringify(agent.body)}`);
    });
    await until('the agent to be idle', async () => {
      const s = (await world.alice.get<Record<string, unknown>>(`${world.base}/session/status`)).body;
      return s[sessionId] === undefined ? true : undefined;
    }, 120_000);
    const msgs = (await world.alice.get<Array<{ info: { role: string }; parts: Array<{ type: string; text?: string }> }>>(
      `${world.base}/session/${sessionId}/message`)).body;
    const received = msgs.filter((m) => m.info.role === 'user').map((m) => m.parts.filter((p) => p.type === 'text').map((p) => p.text).join('|'));
    const counts = new Map<string, number>();
    for (const t of received) counts.set(t, (counts.get(t) ?? 0) + 1);
    const lost = sent.filter((t) => !counts.has(t));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
    console.log(`      seed ${SEED}: ${sent.length} prompts, ${fired()} faults ${JSON.stringify(proxy.stats)}; `
      + `${lost.length} lost, ${duplicated.length} duplicated; injecting ${Math.round((faultsDone - started) / 1000)} s, `
      + `drained ${Math.round((Date.now() - faultsDone) / 1000)} s later`);
    assert.deepEqual({ lost, duplicated }, { lost: [], duplicated: [] });
    assert.deepEqual(received, sent, 'in the order they were written');
    assert.ok(proxy.stats.lostAnswer > 0 && proxy.stats.midRequest > 0 && proxy.stats.midStream > 0, JSON.stringify(proxy.stats));
  });
});
