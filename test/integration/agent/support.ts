import fs from 'node:fs';
import path from 'node:path';
import type { OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { readSse, type SseFrame } from '../support/sseReader';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

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
      removeDataDir(api.dataDir);
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
  const sse = await readSse(url, token, lastEventId);
  return {
    status: sse.status,
    frames: sse.frames,
    events: () => sse.frames.filter((f) => f.event).map((f) => ({ id: Number(f.id), type: f.event!, data: JSON.parse(f.data!) as never })),
    waitFor: (match, ms = 10_000) => sse.waitFor(match, ms),
    close: sse.close,
  };
}
