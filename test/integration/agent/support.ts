import fs from 'node:fs';
import path from 'node:path';
import type { OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import type { SseFrame } from '../support/sseReader';

export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface AgentWorld {
  api: TestApi;
  llm: FakeLlm;
  alice: ReturnType<typeof client>;
  mallory: ReturnType<typeof client>;
  malloryToken: string;
  project: Project;
  /** /api/projects/<id>/opencode */
  base: string;
  close(): Promise<void>;
}

/**
 * A real API on the local runtime with one deployed project whose opencode talks to the fake
 * LLM. Until provider credentials land, the provider config is written as the workspace's
 * opencode.json before the deploy (the local driver keeps the workspace at
 * <dataDir>/projects/<id>/workspace and opencode reads opencode.json from there).
 */
export async function startAgentWorld(env: Record<string, string> = {}): Promise<AgentWorld> {
  const llm = await startFakeLlm();
  const api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_SSE_HEARTBEAT_MS: '300', ...env });
  const alice = client(api.url, api.adminToken);
  const { id: malloryId } = await api.server.services.users.createUser('mallory', 'user');
  const malloryToken = (await api.server.services.users.createToken(malloryId, 't')).secret;
  const project = (await alice.post<Project>('/api/projects', { name: 'agent' })).body;
  const workspace = path.join(api.dataDir, 'projects', project.id, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } }; permission?: unknown };
  config.provider.fake.options.apiKey = 'fake-key';
  // bash asks first, so permission requests can be answered through the proxy.
  config.permission = { bash: 'ask' };
  fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify(config, null, 2));
  const op = await alice.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false });
  const done = await until('the deploy', async () => {
    const o = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((x) => x.id === op.body.id);
    return o && ['succeeded', 'failed', 'cancelled'].includes(o.state) ? o : undefined;
  }, 60_000);
  if (done.state !== 'succeeded') throw new Error(`deploy ${done.state}: ${done.error ?? ''}`);
  return {
    api, llm, alice, mallory: client(api.url, malloryToken), malloryToken, project, base: `/api/projects/${project.id}/opencode`,
    async close() {
      await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
      await api.close();
      for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
      await llm.close();
      fs.rmSync(api.dataDir, { recursive: true, force: true });
    },
  };
}

export interface EventTap {
  status: number;
  frames: SseFrame[];
  /** Frames with an event line, data parsed. */
  events(): { id: number; type: string; data: { id: number; type: string; properties: Record<string, unknown> } }[];
  waitFor(match: (f: SseFrame) => boolean, ms?: number): Promise<SseFrame>;
  close(): Promise<void>;
}

/** Reads an SSE stream frame by frame (any path), for assertions on exact frames. */
export async function tapEvents(url: string, token: string, lastEventId?: string): Promise<EventTap> {
  const controller = new AbortController();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  let buffer = '';
  const pump = (async () => {
    if (res.status !== 200) return;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const frame: SseFrame = {};
          for (const line of raw.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const i = line.indexOf(':');
              frame[line.slice(0, i) as 'id' | 'event' | 'data'] = line.slice(i + 1).replace(/^ /, '');
            }
          }
          frames.push(frame);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.status,
    frames,
    events: () => frames.filter((f) => f.event).map((f) => ({ id: Number(f.id), type: f.event!, data: JSON.parse(f.data!) as never })),
    async waitFor(match, ms = 10_000) {
      return until(`an SSE frame; got ${frames.length} frames`, () => frames.find(match), ms);
    },
    close: async () => { controller.abort(); await pump; },
  };
}
