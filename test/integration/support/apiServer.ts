import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../backend/config';
import { silentLogger } from '../../../backend/logger';
import type { StartupState } from '../../../backend/compositionRoot';
import { startServer, type RunningServer } from '../../../backend/server';
import { testDatabaseEnv } from '../../harness/postgres.mjs';
import { recordDataDir } from '../../harness/scanRegistry.mjs';

export interface TestApi {
  server: RunningServer;
  url: string;
  dataDir: string;
  adminToken: string;
  close(): Promise<void>;
}

/** A real API on an ephemeral loopback port with its own SQLite file (or PostgreSQL database, see postgres.mjs). */
export async function startTestApi(env: Record<string, string> = {}, dataDir?: string, inject: Pick<StartupState, 'factories'> = {}): Promise<TestApi> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-it-'));
  recordDataDir(dir); // the secrets scan after the suite reads it (test/harness/scanRegistry.mjs)
  // The fake LLM and other stand-ins listen on loopback: allowed here, refused by default (test/integration/security).
  const config = loadConfig({ HANGAR_DATA_DIR: dir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_ALLOW_PRIVATE_HOSTS: '127.0.0.1,localhost,::1,host.docker.internal',
    ...(await testDatabaseEnv(dir)), ...env });
  const server = await startServer(config, silentLogger, inject);
  let adminToken: string;
  try {
    adminToken = fs.readFileSync(path.join(dir, 'local-token'), 'utf8').trim();
  } catch (err) {
    await server.close();
    throw err;
  }
  return { server, url: server.url, dataDir: dir, adminToken, close: () => server.close() };
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client that never throws on HTTP errors, so tests can assert on them. */
export function client(url: string, token?: string) {
  const call = async <T = unknown>(method: string, p: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(url + p, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  };
  return {
    get: <T = unknown>(p: string) => call<T>('GET', p),
    post: <T = unknown>(p: string, body?: unknown) => call<T>('POST', p, body ?? {}),
    patch: <T = unknown>(p: string, body: unknown) => call<T>('PATCH', p, body),
    del: <T = unknown>(p: string) => call<T>('DELETE', p),
    call,
  };
}
