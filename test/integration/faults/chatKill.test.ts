import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm, type FakeLlm, type Reply } from '../../fixtures/fakeLlm/server';
import { readSse, type SseFrame } from '../support/sseReader';
import { assertNoOrphans, kill9, settledOperation, settledProject, spawnApi, until, type ApiProcess } from './support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

interface AgentEvent { type: string; properties: Record<string, unknown> }
const agentEvent = (f: SseFrame): AgentEvent | undefined => (f.event && f.data ? JSON.parse(f.data) as AgentEvent : undefined);
const part = (f: SseFrame) => agentEvent(f)?.properties.part as { type?: string; time?: { end?: number }; state?: { status?: string } } | undefined;

interface ChatPoint {
  name: string;
  /** The frame to kill at; undefined: right after prompt_async answered. */
  match?: (f: SseFrame, seen: SseFrame[]) => boolean;
  tool?: boolean;
}

const SLOW_TEXT = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
const TOOL_TEXT = 'Tool done.';

/** Where a chat turn can be interrupted (the API dies; opencode, in its own sandbox, goes on). */
const CHAT_POINTS: ChatPoint[] = [
  { name: 'right after prompt_async answered' },
  { name: 'session busy', match: (f) => agentEvent(f)?.type === 'session.status' && (agentEvent(f)!.properties.status as { type?: string })?.type === 'busy' },
  { name: 'assistant message created', match: (f) => agentEvent(f)?.type === 'message.updated' && (agentEvent(f)!.properties.info as { role?: string })?.role === 'assistant' },
  { name: 'first text delta', match: (f) => agentEvent(f)?.type === 'message.part.delta' },
  { name: 'twentieth text delta', match: (f, seen) => agentEvent(f)?.type === 'message.part.delta' && seen.filter((s) => agentEvent(s)?.type === 'message.part.delta').indexOf(f) >= 19 },
  { name: 'text part finished', match: (f) => agentEvent(f)?.type === 'message.part.updated' && part(f)?.type === 'text' && !!part(f)?.time?.end },
  { name: 'session idle', match: (f) => agentEvent(f)?.type === 'session.idle' },
  { name: 'tool call running', tool: true, match: (f) => agentEvent(f)?.type === 'message.part.updated' && part(f)?.type === 'tool' && part(f)?.state?.status === 'running' },
  { name: 'tool call completed', tool: true, match: (f) => agentEvent(f)?.type === 'message.part.updated' && part(f)?.type === 'tool' && part(f)?.state?.status === 'completed' },
];

describe('fault injection: kill -9 of the API during a chat turn (real API process, real opencode, fake LLM)', function () {
  this.timeout(240_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-faults-chat-'));
  const projectsRoot = path.join(dataDir, 'projects');
  let api: ApiProcess;
  let llm: FakeLlm;
  let project: Project;
  let base: string;
  let agentPid: number;
  const tried: string[] = [];

  before(async () => {
    llm = await startFakeLlm();
    api = await spawnApi(dataDir);
    project = (await api.http.post<Project>('/api/projects', { name: 'faulty chats' })).body;
    base = `/api/projects/${project.id}/opencode`;
    const workspace = path.join(projectsRoot, project.id, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } } };
    config.provider.fake.options.apiKey = 'fake-key';
    fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify({ ...config, permission: { bash: 'allow' } }));
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    assert.equal((await settledOperation(api.http, project.id, op.id)).state, 'succeeded');
    agentPid = scanProcesses(projectsRoot)[0]!.pid;
  });
  after(async () => {
    if (api) await kill9(api.proc);
    for (const s of scanProcesses(projectsRoot)) process.kill(-s.pid, 'SIGKILL');
    await llm?.close();
    removeDataDir(dataDir);
    console.log(`      kill points tried: ${tried.length} (${tried.join(', ')})`);
  });

  for (const point of CHAT_POINTS) {
    it(`at "${point.name}": the turn completes in the agent, nothing is lost, the agent is adopted, not restarted`, async () => {
      const session = (await api.http.post<{ id: string }>(`${base}/session`, {})).body;
      const proof = `proof-${tried.length}.txt`;
      const replies: Reply[] = point.tool
        ? [{ toolCalls: [{ name: 'bash', arguments: { command: `sleep 1; echo finished > ${proof}`, description: 'slow tool' } }] }, { text: TOOL_TEXT }]
        : [{ text: SLOW_TEXT, chunkSize: 5, delayMs: 15 }];
      llm.enqueue(...replies);
      const stream = await readSse(`${api.url}${base}/event`, api.token);
      const sent = await api.http.post(`${base}/session/${session.id}/prompt_async`, { parts: [{ type: 'text', text: `Turn ${point.name}` }] });
      assert.ok(sent.status < 300, `prompt_async ${sent.status}`);
      if (point.match) await stream.waitFor((f) => point.match!(f, stream.frames), 60_000);
      await kill9(api.proc);
      await stream.close();
      tried.push(point.name);
      api = await spawnApi(dataDir);
      const p = await settledProject(api.http, project.id);
      assert.equal(p.status, 'running', p.statusReason ?? '');
      assert.deepEqual(scanProcesses(projectsRoot).map((s) => s.pid), [agentPid], 'the same agent process, adopted');
      const expected = point.tool ? TOOL_TEXT : SLOW_TEXT;
      await until('the turn to finish in the agent', async () => {
        const messages = (await api.http.get<{ info: { role: string; time: { completed?: number } }; parts: { type: string; text?: string }[] }[]>(`${base}/session/${session.id}/message`)).body;
        const last = messages.at(-1);
        const text = last?.parts.filter((x) => x.type === 'text').map((x) => x.text).join('');
        return last?.info.role === 'assistant' && last.info.time.completed && text === expected ? true : undefined;
      }, 60_000);
      if (point.tool) assert.equal(fs.readFileSync(path.join(projectsRoot, project.id, 'workspace', proof), 'utf8'), 'finished\n');
      assert.equal(llm.pending(), 0);
      await assertNoOrphans(dataDir, p);
    });
  }
});
