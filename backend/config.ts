import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Everything the API reads from its environment, parsed once at start-up. */
const EnvSchema = z.object({
  HANGAR_HOST: z.string().min(1).default('127.0.0.1'),
  HANGAR_PORT: z.coerce.number().int().min(0).max(65535).default(7420),
  HANGAR_DATA_DIR: z.string().min(1).optional(),
  HANGAR_DATABASE_URL: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://').optional(),
  HANGAR_RUNTIME: z.enum(['local', 'docker', 'coolify']).default('local'),
  HANGAR_ENCRYPTION_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters)').optional(),
  HANGAR_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  HANGAR_BODY_LIMIT: z.string().regex(/^[0-9]+(kb|mb)$/, 'a size like "1mb" or "256kb"').default('1mb'),
  HANGAR_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(15_000).default(15_000),
  HANGAR_EVENT_BUFFER: z.coerce.number().int().min(10).max(100_000).default(1000),
  HANGAR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HANGAR_STATUS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  HANGAR_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  HANGAR_OPENCODE_BIN: z.string().min(1).optional(),
  HANGAR_AGENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HANGAR_AGENT_EVENT_BUFFER: z.coerce.number().int().min(10).max(100_000).default(2000),
  HANGAR_AGENT_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
});

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  runtime: 'local' | 'docker' | 'coolify';
  encryptionKey: { source: 'env'; key: string } | { source: 'file'; file: string };
  bodyLimit: string;
  sseHeartbeatMs: number;
  eventBufferSize: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Backstop poll of every project's runtime status (driver pushes are the fast path). */
  statusPollMs: number;
  /** How long a deploy/start waits for opencode's GET /global/health. */
  healthTimeoutMs: number;
  /** Local runtime: another opencode executable than the pinned npm one. */
  opencodeBin: string | undefined;
  /** Agent proxy: per-request timeout, the event relay's ring buffer per project, and how long its upstream stays open after the last client leaves. */
  agent: { timeoutMs: number; eventBuffer: number; graceMs: number };
  version: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const value = env[name];
    throw new ConfigError(`${name}${value === undefined ? '' : `=${JSON.stringify(redactIfKey(name, value))}`} is invalid: ${issue?.message ?? 'bad value'}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(expandHome(e.HANGAR_DATA_DIR ?? path.join(os.homedir(), '.hangar')));
  return {
    host: e.HANGAR_HOST,
    port: e.HANGAR_PORT,
    dataDir,
    database: parseDatabaseUrl(e.HANGAR_DATABASE_URL, dataDir),
    runtime: e.HANGAR_RUNTIME,
    encryptionKey: e.HANGAR_ENCRYPTION_KEY
      ? { source: 'env', key: e.HANGAR_ENCRYPTION_KEY }
      : { source: 'file', file: path.resolve(expandHome(e.HANGAR_ENCRYPTION_KEY_FILE ?? path.join(dataDir, 'secret.key'))) },
    bodyLimit: e.HANGAR_BODY_LIMIT,
    sseHeartbeatMs: e.HANGAR_SSE_HEARTBEAT_MS,
    eventBufferSize: e.HANGAR_EVENT_BUFFER,
    logLevel: e.HANGAR_LOG_LEVEL,
    statusPollMs: e.HANGAR_STATUS_POLL_MS,
    healthTimeoutMs: e.HANGAR_HEALTH_TIMEOUT_MS,
    opencodeBin: e.HANGAR_OPENCODE_BIN,
    agent: { timeoutMs: e.HANGAR_AGENT_TIMEOUT_MS, eventBuffer: e.HANGAR_AGENT_EVENT_BUFFER, graceMs: e.HANGAR_AGENT_GRACE_MS },
    version: '0.1.0',
  };
}

function parseDatabaseUrl(url: string | undefined, dataDir: string): Config['database'] {
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'hangar.db') };
  if (url.startsWith('sqlite:')) {
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    if (!file) throw new ConfigError('HANGAR_DATABASE_URL is invalid: sqlite: needs a file path, like sqlite:///var/lib/hangar/hangar.db');
    return { kind: 'sqlite', file: path.resolve(dataDir, expandHome(file)) };
  }
  return { kind: 'postgres', url };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function redactIfKey(name: string, value: string): string {
  return /KEY|TOKEN|SECRET|PASSWORD/.test(name) ? '<redacted>' : value;
}
