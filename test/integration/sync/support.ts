// A real API (real git in the workspace, through the runtime driver's exec) with a log that is
// kept for inspection, a loopback fake GitHub, and small helpers for the sync scenarios.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, OperationList, SyncResult, SyncStatus } from '../../../backend/contract';
import { loadConfig } from '../../../backend/config';
import { createLogger } from '../../../backend/logger';
import { startServer, type RunningServer } from '../../../backend/server';
import { client } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { testDatabaseEnv } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

export interface SyncApi {
  server: RunningServer;
  url: string;
  dataDir: string;
  token: string;
  logLines: string[];
  http: ReturnType<typeof client>;
  events: Awaited<ReturnType<typeof openEventStream>>;
  close(): Promise<void>;
}

/**
 * HANGAR_GIT_CA_FILE and the docker runtime's variables are read from the process environment
 * (like the catalog's): they are set there while the server is built, then restored.
 */
export async function startSyncApi(env: Record<string, string>, caFile: string): Promise<SyncApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-sync-'));
  const vars: Record<string, string> = { ...env, HANGAR_GIT_CA_FILE: caFile, HANGAR_SYNC_POLL_MS: '0' };
  if (!caFile) delete vars.HANGAR_GIT_CA_FILE;
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  const logLines: string[] = [];
  let server: RunningServer;
  try {
    const config = loadConfig({ ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1',
      ...(await testDatabaseEnv(dataDir)), ...env });
    server = await startServer(config, createLogger('debug', (l) => logLines.push(l)));
  } finally {
    for (const [k, v] of Object.entries(saved)) restore(k, v);
  }
  const token = fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim();
  const events = await openEventStream(server.url, token);
  return {
    server, url: server.url, dataDir, token, logLines, http: client(server.url, token), events,
    async close() {
      await events.close();
      await server.close();
      removeDataDir(dataDir);
    },
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function finished(api: SyncApi, projectId: string, opId: string): Promise<Operation> {
  return until(`operation ${opId}`, async () => {
    const list = (await api.http.get<OperationList>(`/api/projects/${projectId}/operations`)).body.items;
    const op = list.find((o) => o.id === opId);
    return op && ['succeeded', 'failed', 'cancelled'].includes(op.state) ? op : undefined;
  });
}

/** POSTs a sync action, waits for its operation and its sync.result event. */
export async function syncAction(api: SyncApi, projectId: string, action: 'fetch' | 'push' | 'pull' | 'import', body: object = {}): Promise<{ op: Operation; result: SyncResult }> {
  const res = await api.http.post<{ operation: Operation }>(`/api/projects/${projectId}/sync/${action}`, body);
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.equal(res.body.operation.kind, action);
  const op = await finished(api, projectId, res.body.operation.id);
  const frame = await api.events.waitFor((f) => f.event === 'sync.result' && JSON.parse(f.data!).data.operationId === op.id, 10_000);
  return { op, result: JSON.parse(frame.data!).data.result as SyncResult };
}

export async function syncStatus(api: SyncApi, projectId: string): Promise<SyncStatus> {
  const res = await api.http.get<SyncStatus>(`/api/projects/${projectId}/sync`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The agent's side: commands in the workspace through the same driver (folder or container). */
export function workspace(api: SyncApi, projectId: string) {
  const driver = api.server.services.driver!;
  const exec = async (argv: string[], env: Record<string, string> = {}) => {
    const r = await driver.exec(projectId, argv, { env, timeoutMs: 60_000 });
    assert.equal(r.exitCode, 0, `${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const agent = ['-c', 'user.name=Agent', '-c', 'user.email=agent@hangar.test'];
  return {
    exec,
    write: (file: string, content: string) => exec(['sh', '-c', 'printf "%s" "$CONTENT" > "$FILE"'], { CONTENT: content, FILE: file }),
    read: (file: string) => exec(['cat', '--', file]),
    commit: async (files: Record<string, string>, message: string) => {
      for (const [f, c] of Object.entries(files)) await exec(['sh', '-c', 'printf "%s" "$CONTENT" > "$FILE"'], { CONTENT: c, FILE: f });
      await exec(['git', 'add', '-A']);
      await exec(['git', ...agent, 'commit', '-q', '-m', message]);
    },
    git: (...args: string[]) => exec(['git', ...args]),
  };
}
