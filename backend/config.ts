import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { leaseEnvShape, leaseTimesFrom, type LeaseTimes } from './leaseConfig';

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
  HANGAR_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(32),
  HANGAR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HANGAR_STATUS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  HANGAR_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  HANGAR_OPENCODE_BIN: z.string().min(1).optional(),
  /** Hosts (names, IPs, CIDRs, or `*`) on loopback/private networks that provider URLs may still name. */
  HANGAR_ALLOW_PRIVATE_HOSTS: z.string().trim().max(4000).optional(),
  HANGAR_AGENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HANGAR_AGENT_EVENT_BUFFER: z.coerce.number().int().min(10).max(100_000).default(2000),
  HANGAR_AGENT_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  HANGAR_WEBHOOK_URL: z.string().trim().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an http(s) URL of this API as the agents reach it, like http://host.docker.internal:7420').optional(),
  HANGAR_NOTIFY_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  // Providers (backend/providers, backend/oauth).
  HANGAR_MODELS_URL: z.string().trim().default('https://models.dev/api.json')
    .refine((s) => s === 'off' || /^https?:\/\//.test(s), 'an http(s) URL, or "off"'),
  HANGAR_MODELS_TTL_S: z.coerce.number().int().min(1).max(30 * 86_400).default(6 * 3600),
  HANGAR_MODELS_RETRY_S: z.coerce.number().int().min(0).max(86_400).default(300),
  HANGAR_MODELS_SNAPSHOT: z.string().min(1).optional(),
  HANGAR_GITHUB_HOST: z.string().trim().regex(/^[a-z0-9.-]+(:[0-9]+)?$/i, 'a host name like github.com or github.example.com').default('github.com'),
  HANGAR_GITHUB_OAUTH_URL: z.string().trim().regex(/^https?:\/\/[^\s/]+$/, 'a base URL without a path, like https://github.example.com').optional(),
  HANGAR_COPILOT_CLIENT_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{4,100}$/, 'an OAuth app client id').default('Ov23li8tweQw6odWQebz'),
  HANGAR_OAUTH_PROVIDERS: z.string().trim().optional(),
  HANGAR_OAUTH_REFRESH_LEAD_S: z.coerce.number().int().min(0).max(86_400).default(300),
  HANGAR_OAUTH_REFRESH_POLL_S: z.coerce.number().min(0.05).max(3600).default(60),
  HANGAR_ENCRYPTION_KEY_PREVIOUS: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters)').optional(),
  // Local runtime: checked by backend/runtime/local/sandbox.ts when the local driver is built.
  HANGAR_LOCAL_SANDBOX: z.string().optional(),
  HANGAR_WARM_POOL_LOCAL: z.coerce.number().int().min(0).max(32).default(0),
  // GitHub sync (backend/sync). A poll that is not a number ≥ 0 falls back to its default.
  HANGAR_GIT_CA_FILE: z.string().trim().optional().transform((s) => s || undefined),
  HANGAR_SYNC_POLL_MS: z.coerce.number().min(0).catch(15_000).default(15_000),
  HANGAR_SYNC_ACTIVE_POLL_MS: z.coerce.number().min(0).catch(1_000).default(1_000),
  ...leaseEnvShape,
});

/** The docker runtime's variables (parsed by backend/runtime/docker/config.ts when that driver is built). */
const DOCKER_VARS = /^(DOCKER_HOST|DOCKER_TLS_VERIFY|DOCKER_CERT_PATH|HOME|HANGAR_DOCKER_[A-Z0-9_]+)$/;
/** The coolify runtime's variables (parsed by backend/runtime/coolify/config.ts with the stored token). */
const COOLIFY_VARS = /^HANGAR_COOLIFY_[A-Z0-9_]+$/;

/** Some variables of the environment, as read: a runtime's own section, parsed where that runtime is built. */
export type EnvSection = Readonly<Record<string, string | undefined>>;

function section(env: NodeJS.ProcessEnv, names: RegExp): EnvSection {
  return Object.fromEntries(Object.entries(env).filter(([k]) => names.test(k)));
}

/** One provider that signs in with an authorisation-code + PKCE redirect (HANGAR_OAUTH_PROVIDERS). */
export const RedirectProviderConfig = z.strictObject({
  authorizeUrl: z.string().url(),
  tokenUrl: z.string().url(),
  clientId: z.string().min(1).max(200),
  scopes: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** false: the provider only redirects to its own registered page (`codePageUri`), which shows the code to paste. */
  editorRedirect: z.boolean().default(true),
  codePageUri: z.string().url().optional(),
}).refine((p) => p.editorRedirect || p.codePageUri, 'a provider without editorRedirect needs codePageUri (its page that shows the code)');
export type RedirectProviderConfig = z.infer<typeof RedirectProviderConfig>;
const RedirectProviders = z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a provider id'), RedirectProviderConfig);

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  runtime: 'local' | 'docker' | 'coolify';
  /** HANGAR_ALLOW_PRIVATE_HOSTS, split: what the provider URL guard lets through (backend/providers/urlGuard.ts). */
  allowPrivateHosts: string[];
  encryptionKey: { source: 'env'; key: string } | { source: 'file'; file: string };
  bodyLimit: string;
  sseHeartbeatMs: number;
  eventBufferSize: number;
  /** Open event streams per user before one more is 429 (HANGAR_MAX_STREAMS_PER_USER). */
  maxStreamsPerUser: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Backstop poll of every project's runtime status (driver pushes are the fast path). */
  statusPollMs: number;
  /** How long a deploy/start waits for opencode's GET /global/health. */
  healthTimeoutMs: number;
  /** Local runtime: another opencode executable than the pinned npm one. */
  opencodeBin: string | undefined;
  /** Agent proxy: per-request timeout, the event relay's ring buffer per project, and how long its upstream stays open after the last client leaves. */
  agent: { timeoutMs: number; eventBuffer: number; graceMs: number };
  /**
   * The API's base URL as the agents reach it (their opencode plugin posts session events to
   * <url>/api/webhooks/opencode). Unset: chosen per runtime (see backend/runtime/webhookUrl.ts).
   */
  webhookUrl: string | undefined;
  /** Outgoing notification webhooks: the first retry delay (then ×4 per attempt). */
  notifyRetryMs: number;
  /** The models.dev catalog: live URL (null = never fetch), freshness, retry after a failure, snapshot file. */
  models: { url: string | null; ttlMs: number; retryMs: number; timeoutMs: number; snapshotFile: string | undefined };
  /**
   * Provider sign-in: GitHub's device flow for Copilot (base URL of the OAuth endpoints, client id,
   * the Enterprise host when not github.com), redirect-flow providers, and the refresh scheduler.
   */
  oauth: {
    githubOAuthUrl: string;
    githubEnterpriseHost: string | undefined;
    copilotClientId: string;
    redirectProviders: Record<string, RedirectProviderConfig>;
    refreshLeadMs: number;
    refreshPollMs: number;
  };
  /** HANGAR_ENCRYPTION_KEY_PREVIOUS: values still sealed with it are re-encrypted with the current key at start. */
  previousEncryptionKey: string | undefined;
  /**
   * The docker (DOCKER_*, HANGAR_DOCKER_*) and coolify (HANGAR_COOLIFY_*) variables as read here:
   * each runtime parses its section only when its driver is built, so a bad value makes that
   * runtime unavailable (with a one-line problem) instead of stopping the API.
   */
  runtimeEnv: { docker: EnvSection; coolify: EnvSection };
  /** HANGAR_LOCAL_SANDBOX: auto | bwrap | off (validated by the local driver's sandbox choice). */
  localSandbox: string | undefined;
  /** Agents each runtime keeps started ahead of time for first deploys (HANGAR_WARM_POOL_LOCAL); 0 = off. */
  warmPool: { local: number };
  /** GitHub sync: a CA bundle git trusts (HANGAR_GIT_CA_FILE) and the status polls (0 = never). */
  sync: { caFile: string | undefined; pollMs: number; activePollMs: number };
  /** Replicas on PostgreSQL: operation heartbeats and background-job leases (HANGAR_LEASE_*, backend/leaseConfig.ts). */
  leases: LeaseTimes;
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
  const leases = leaseTimesFrom(e);
  if (typeof leases === 'string') throw new ConfigError(leases);
  const dataDir = path.resolve(expandHome(e.HANGAR_DATA_DIR ?? path.join(os.homedir(), '.hangar')));
  return {
    host: e.HANGAR_HOST,
    port: e.HANGAR_PORT,
    dataDir,
    database: parseDatabaseUrl(e.HANGAR_DATABASE_URL, dataDir),
    runtime: e.HANGAR_RUNTIME,
    allowPrivateHosts: (e.HANGAR_ALLOW_PRIVATE_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    encryptionKey: e.HANGAR_ENCRYPTION_KEY
      ? { source: 'env', key: e.HANGAR_ENCRYPTION_KEY }
      : { source: 'file', file: path.resolve(expandHome(e.HANGAR_ENCRYPTION_KEY_FILE ?? path.join(dataDir, 'secret.key'))) },
    bodyLimit: e.HANGAR_BODY_LIMIT,
    sseHeartbeatMs: e.HANGAR_SSE_HEARTBEAT_MS,
    eventBufferSize: e.HANGAR_EVENT_BUFFER,
    maxStreamsPerUser: e.HANGAR_MAX_STREAMS_PER_USER,
    logLevel: e.HANGAR_LOG_LEVEL,
    statusPollMs: e.HANGAR_STATUS_POLL_MS,
    healthTimeoutMs: e.HANGAR_HEALTH_TIMEOUT_MS,
    opencodeBin: e.HANGAR_OPENCODE_BIN,
    agent: { timeoutMs: e.HANGAR_AGENT_TIMEOUT_MS, eventBuffer: e.HANGAR_AGENT_EVENT_BUFFER, graceMs: e.HANGAR_AGENT_GRACE_MS },
    webhookUrl: e.HANGAR_WEBHOOK_URL?.replace(/\/+$/, ''),
    notifyRetryMs: e.HANGAR_NOTIFY_RETRY_MS,
    models: {
      url: e.HANGAR_MODELS_URL === 'off' ? null : e.HANGAR_MODELS_URL,
      ttlMs: e.HANGAR_MODELS_TTL_S * 1000,
      retryMs: e.HANGAR_MODELS_RETRY_S * 1000,
      timeoutMs: 10_000,
      snapshotFile: e.HANGAR_MODELS_SNAPSHOT,
    },
    oauth: {
      githubOAuthUrl: e.HANGAR_GITHUB_OAUTH_URL ?? `https://${e.HANGAR_GITHUB_HOST}`,
      githubEnterpriseHost: e.HANGAR_GITHUB_HOST === 'github.com' ? undefined : e.HANGAR_GITHUB_HOST,
      copilotClientId: e.HANGAR_COPILOT_CLIENT_ID,
      redirectProviders: parseRedirectProviders(e.HANGAR_OAUTH_PROVIDERS),
      refreshLeadMs: e.HANGAR_OAUTH_REFRESH_LEAD_S * 1000,
      refreshPollMs: Math.round(e.HANGAR_OAUTH_REFRESH_POLL_S * 1000),
    },
    previousEncryptionKey: e.HANGAR_ENCRYPTION_KEY_PREVIOUS,
    runtimeEnv: { docker: section(env, DOCKER_VARS), coolify: section(env, COOLIFY_VARS) },
    localSandbox: e.HANGAR_LOCAL_SANDBOX,
    warmPool: { local: e.HANGAR_WARM_POOL_LOCAL },
    sync: { caFile: e.HANGAR_GIT_CA_FILE, pollMs: e.HANGAR_SYNC_POLL_MS, activePollMs: e.HANGAR_SYNC_ACTIVE_POLL_MS },
    leases,
    version: '0.1.0',
  };
}

/** HANGAR_OAUTH_PROVIDERS: JSON `{"<providerId>": {authorizeUrl, tokenUrl, clientId, scopes?, editorRedirect?}}`. */
function parseRedirectProviders(raw: string | undefined): Record<string, RedirectProviderConfig> {
  if (!raw) return {};
  let json: unknown;
  try { json = JSON.parse(raw); } catch { throw new ConfigError('HANGAR_OAUTH_PROVIDERS is invalid: not JSON (expected {"<providerId>": {"authorizeUrl", "tokenUrl", "clientId"}})'); }
  const parsed = RedirectProviders.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`HANGAR_OAUTH_PROVIDERS is invalid at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'bad value'}`);
  }
  return parsed.data;
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
  if (/KEY|TOKEN|SECRET|PASSWORD/.test(name)) return '<redacted>';
  // A database URL may carry a password: show the rest.
  return name === 'HANGAR_DATABASE_URL' ? value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@') : value;
}
