// The fleet simulator (test/fleet) against the real `opencode serve`: the same scenario (agents, a
// session, a streamed text turn, a turn that asks for a bash permission and is approved) runs through
// Hangar's agent proxy on both, and the simulator must answer in the real agent's shapes and produce
// the events the chat needs, in the same order. If the simulator drifts from opencode, the fleet
// benchmark measures something Hangar never sees; this test fails first.
import assert from 'node:assert/strict';
import type { Project } from '../../../backend/contract';
import { translateEvent, messageView } from '../../../extension/chat/agentEvents';
import { startFleetSim, type FleetSim } from '../../fleet/simServer';
import { simDriverFactory } from '../../fleet/simDriver';
import { ASK_PREFIX } from '../../fleet/simAgent';
import { notInReal, unionShape, shapeOf } from '../../fleet/shapes';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { startAgentWorld, tapEvents, until, type AgentWorld } from '../agent/support';

interface Observed {
  rest: Record<string, unknown>;
  promptStatus: number[];
  events: { type: string; properties: Record<string, unknown> }[];
}

type Client = ReturnType<typeof client>;

/** The scenario, through /api/projects/:id/opencode on whichever agent the project runs. */
async function scenario(c: Client, apiUrl: string, token: string, base: string, beforeAsk: () => void): Promise<Observed> {
  const rest: Record<string, unknown> = {};
  rest.agents = (await c.get(`${base}/agent`)).body;
  const created = await c.post<{ id: string }>(`${base}/session`, { title: 'contract' });
  assert.equal(created.status, 200);
  rest.session = created.body;
  const sid = created.body.id;
  rest.sessions = (await c.get(`${base}/session`)).body;
  const tap = await tapEvents(`${apiUrl}${base}/event`, token);
  const events = () => tap.events().map((e) => e.data).filter((d) => d.type !== 'ready');
  const idles = () => events().filter((e) => e.type === 'session.idle' && e.properties.sessionID === sid).length;
  try {
    await tap.waitFor((f) => f.event === 'ready', 20_000);
    const promptStatus = [(await c.post(`${base}/session/${sid}/prompt_async`, { parts: [{ type: 'text', text: 'hello' }] })).status];
    await until('the first turn to end', () => idles() >= 1 || undefined, 60_000);
    rest.messages = (await c.get(`${base}/session/${sid}/message`)).body;
    rest.statusIdle = (await c.get(`${base}/session/status`)).body;
    beforeAsk();
    promptStatus.push((await c.post(`${base}/session/${sid}/prompt_async`, { parts: [{ type: 'text', text: `${ASK_PREFIX} echo hi` }] })).status);
    const asked = await until('a permission request', () => events().find((e) => e.type === 'permission.asked'), 60_000);
    rest.permissions = (await c.get(`${base}/permission`)).body;
    rest.statusBusy = (await c.get(`${base}/session/status`)).body;
    const reply = await c.post(`${base}/permission/${String(asked.properties.id)}/reply`, { reply: 'once' });
    rest.reply = reply.body;
    await until('the second turn to end', () => idles() >= 2 || undefined, 60_000);
    return { rest, promptStatus, events: events() };
  } finally {
    await tap.close();
  }
}

/** What the chat panel does with each event (its own translation), as comparable lines. */
function chatView(events: Observed['events']): string[] {
  return events.map((e) => {
    const t = translateEvent(e, null);
    if (t.kind !== 'post') return t.kind;
    const m = t.message as { type: string; info?: { role?: string }; part?: { type?: string }; status?: { type?: string } };
    return [m.type, m.info?.role ?? m.part?.type ?? m.status?.type].filter(Boolean).join(':');
  });
}

describe('fleet simulator: the same scenario as the real opencode serve, the same shapes', function () {
  this.timeout(240_000);
  let real: AgentWorld;
  let sim: FleetSim;
  let simApi: TestApi;
  let observedReal: Observed;
  let observedSim: Observed;

  before(async () => {
    real = await startAgentWorld();
    sim = await startFleetSim({ turn: { chunks: 4, chunkMs: 10 } });
    simApi = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_SSE_HEARTBEAT_MS: '300' }, undefined, { factories: { local: simDriverFactory(sim.url) } });
    const c = client(simApi.url, simApi.adminToken);
    const project = (await c.post<Project>('/api/projects', { name: 'sim' })).body;
    const op = await c.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false });
    assert.equal(op.status, 202);
    await until('the simulated deploy', async () => ((await c.get<Project>(`/api/projects/${project.id}`)).body.status === 'running') || undefined, 30_000);
    observedSim = await scenario(c, simApi.url, simApi.adminToken, `/api/projects/${project.id}/opencode`, () => {});
    observedReal = await scenario(real.alice, real.api.url, real.api.adminToken, real.base, () => real.llm.enqueue(
      { toolCalls: [{ name: 'bash', arguments: { command: 'echo hi', description: 'Says hi' } }] },
      { text: 'Done.' },
    ));
  });
  after(async () => {
    await simApi?.close();
    await sim?.close();
    await real?.close();
  });

  it('the project runs on the simulator: the simulator holds its agent, and served the whole scenario', () => {
    assert.equal(sim.agents.size, 1);
    const [agent] = [...sim.agents.values()];
    assert.equal(agent!.listSessions().length, 1);
    assert.equal(agent!.transcript(agent!.listSessions()[0]!.id)!.length, 4);
  });

  it('answers every REST call in the real agent\'s shapes', () => {
    assert.deepEqual(observedSim.promptStatus, observedReal.promptStatus);
    for (const key of Object.keys(observedReal.rest)) {
      assert.deepEqual(notInReal(observedSim.rest[key], observedReal.rest[key]), [], `${key}: the simulator has shape lines the real agent does not`);
    }
    // Not vacuous: the shapes that matter are there on both sides.
    for (const [key, line] of [['session', '$.id:string'], ['messages', '$[].info.role:string'], ['messages', '$[].parts[].type:string'],
      ['permissions', '$[].patterns[]:string'], ['statusBusy', '$.<id>.type:string'], ['agents', '$[].name:string']] as const) {
      assert.ok(shapeOf(observedSim.rest[key]).has(line), `sim ${key} lacks ${line}`);
      assert.ok(shapeOf(observedReal.rest[key]).has(line), `real ${key} lacks ${line}`);
    }
    const transcript = observedSim.rest.messages as unknown[];
    assert.equal(transcript.length, 2, 'after the first turn: the user\'s message and the answer');
    assert.ok(transcript.every((m) => messageView(m)), 'the chat parses every simulated message');
  });

  it('emits only event types the real agent emits, each in its shapes', () => {
    const realTypes = new Set(observedReal.events.map((e) => e.type));
    for (const type of new Set(observedSim.events.map((e) => e.type))) {
      assert.ok(realTypes.has(type), `the real agent never sent ${type}`);
      const have = unionShape(observedReal.events.filter((e) => e.type === type).map((e) => e.properties));
      const extra = [...unionShape(observedSim.events.filter((e) => e.type === type).map((e) => e.properties))].filter((l) => !have.has(l));
      assert.deepEqual(extra, [], `${type}: shape lines the real agent does not have`);
    }
  });

  it('gives the chat the same kinds of updates, in the same order within a turn', () => {
    const simView = chatView(observedSim.events);
    const realView = new Set(chatView(observedReal.events));
    const needed = ['chat.message:user', 'chat.message:assistant', 'chat.part:step-start', 'chat.part:text', 'chat.delta',
      'chat.part:step-finish', 'chat.status:busy', 'chat.status:idle', 'chat.permission', 'chat.permissionReplied', 'sessions'];
    for (const n of needed) {
      assert.ok(simView.includes(n), `the simulator gives the chat no ${n}`);
      assert.ok(realView.has(n), `the real agent gives the chat no ${n}`);
    }
    for (const line of new Set(simView)) assert.ok(realView.has(line), `the real agent never gives the chat ${line}`);
    for (const view of [simView, chatView(observedReal.events)]) {
      const at = (n: string) => view.indexOf(n);
      assert.ok(at('chat.status:busy') < at('chat.delta') && at('chat.delta') < at('chat.status:idle'), `busy → delta → idle in ${view.join(' ')}`);
      assert.ok(at('chat.permission') < at('chat.permissionReplied') && at('chat.permissionReplied') < view.lastIndexOf('chat.status:idle'));
    }
  });
});
