import { z } from 'zod';
import { CoolifyError, errorFromResponse } from './errors';

/**
 * A small client for the part of Coolify's API (/api/v1, 4.3) that Hangar uses. Every state change
 * is a POST (Coolify ≥ 4.2 answers 405 to a GET there). Answers are parsed leniently: Coolify adds
 * fields over time, and its own spec is incomplete (build_pack "dockerimage" is not in its enum).
 */

export const Application = z.looseObject({
  uuid: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  fqdn: z.string().nullish(),
  status: z.string().nullish(),
  docker_registry_image_name: z.string().nullish(),
  docker_registry_image_tag: z.string().nullish(),
  ports_exposes: z.string().nullish(),
});
export type Application = z.infer<typeof Application>;

export const Server = z.looseObject({
  uuid: z.string(),
  name: z.string().nullish(),
  is_usable: z.boolean().nullish(),
  settings: z.looseObject({ is_usable: z.boolean().nullish() }).nullish(),
});

export const Deployment = z.looseObject({
  deployment_uuid: z.string(),
  status: z.string(),
  logs: z.string().nullish(),
});
export type Deployment = z.infer<typeof Deployment>;

const Created = z.looseObject({ uuid: z.string() });
const Message = z.looseObject({ message: z.string().optional() });
const Queued = z.looseObject({ message: z.string().optional(), deployment_uuid: z.string() });
const DeployAnswer = z.looseObject({ deployments: z.array(z.looseObject({ deployment_uuid: z.string(), resource_uuid: z.string().optional(), message: z.string().optional() })) });
const Logs = z.looseObject({ logs: z.string().nullish() });

export interface EnvItem {
  key: string;
  value: string;
  is_literal?: boolean;
  is_multiline?: boolean;
}

export interface CoolifyClientOptions {
  /** Instance root (https://coolify.example.com), without /api/v1. */
  url: string;
  token: string;
  requestTimeoutMs?: number;
  /** 429 answers retried (waiting Retry-After) before giving up. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryWaitMs?: number;
  fetch?: typeof fetch;
}

interface Call<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** For messages: "create the application". */
  what: string;
  signal?: AbortSignal;
}

export class CoolifyClient {
  private readonly base: string;
  private readonly requestTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: CoolifyClientOptions) {
    this.base = `${opts.url.replace(/\/+$/, '')}/api/v1`;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? 60_000;
    this.fetch = opts.fetch ?? fetch;
  }

  /** GET /servers: the servers of the instance (HANGAR_COOLIFY_SERVERS must name existing, usable ones). */
  listServers(signal?: AbortSignal) {
    return this.call({ method: 'GET', path: '/servers', schema: z.array(Server), what: 'list servers', signal });
  }
  listApplications(signal?: AbortSignal) {
    return this.call({ method: 'GET', path: '/applications', schema: z.array(Application), what: 'list applications', signal });
  }
  getApplication(uuid: string, signal?: AbortSignal) {
    return this.call({ method: 'GET', path: `/applications/${enc(uuid)}`, schema: Application, what: `read application ${uuid}`, signal });
  }
  createDockerImageApplication(body: Record<string, unknown>, signal?: AbortSignal) {
    return this.call({ method: 'POST', path: '/applications/dockerimage', body, schema: Created, what: 'create the application', signal });
  }
  updateApplication(uuid: string, body: Record<string, unknown>, signal?: AbortSignal) {
    return this.call({ method: 'PATCH', path: `/applications/${enc(uuid)}`, body, schema: Created.partial(), what: `update application ${uuid}`, signal });
  }
  deleteApplication(uuid: string, opts: { deleteVolumes: boolean }) {
    return this.call({
      method: 'DELETE',
      path: `/applications/${enc(uuid)}`,
      // Coolify's defaults are all true: say each one, so keeping volumes is explicit.
      query: { delete_configurations: true, delete_volumes: opts.deleteVolumes, docker_cleanup: true, delete_connected_networks: true },
      schema: Message,
      what: `delete application ${uuid}`,
    });
  }
  updateEnvs(uuid: string, data: EnvItem[], signal?: AbortSignal) {
    return this.call({ method: 'PATCH', path: `/applications/${enc(uuid)}/envs/bulk`, body: { data }, schema: z.array(z.unknown()), what: `set the environment of application ${uuid}`, signal });
  }
  async deploy(uuid: string, force: boolean, signal?: AbortSignal): Promise<string> {
    const answer = await this.call({ method: 'POST', path: '/deploy', query: { uuid, force }, schema: DeployAnswer, what: `deploy application ${uuid}`, signal });
    const d = answer.deployments.find((x) => x.resource_uuid === undefined || x.resource_uuid === uuid);
    if (!d) throw new CoolifyError('coolify_bad_answer', `Coolify queued no deployment for application ${uuid}.`);
    return d.deployment_uuid;
  }
  async start(uuid: string, signal?: AbortSignal): Promise<string> {
    return (await this.call({ method: 'POST', path: `/applications/${enc(uuid)}/start`, schema: Queued, what: `start application ${uuid}`, signal })).deployment_uuid;
  }
  async restart(uuid: string, signal?: AbortSignal): Promise<string> {
    return (await this.call({ method: 'POST', path: `/applications/${enc(uuid)}/restart`, schema: Queued, what: `restart application ${uuid}`, signal })).deployment_uuid;
  }
  stop(uuid: string, signal?: AbortSignal) {
    return this.call({ method: 'POST', path: `/applications/${enc(uuid)}/stop`, schema: Message, what: `stop application ${uuid}`, signal });
  }
  getDeployment(uuid: string, signal?: AbortSignal) {
    return this.call({ method: 'GET', path: `/deployments/${enc(uuid)}`, schema: Deployment, what: `read deployment ${uuid}`, signal });
  }
  cancelDeployment(uuid: string) {
    return this.call({ method: 'POST', path: `/deployments/${enc(uuid)}/cancel`, schema: Message, what: `cancel deployment ${uuid}` });
  }
  /** The last `lines` log lines; `{notRunning}` when Coolify says the application is not running. */
  async logs(uuid: string, lines: number, signal?: AbortSignal): Promise<{ lines: string[]; notRunning?: string }> {
    try {
      const answer = await this.call({ method: 'GET', path: `/applications/${enc(uuid)}/logs`, query: { lines }, schema: Logs, what: `read the logs of application ${uuid}`, signal });
      const text = answer.logs ?? '';
      return { lines: text === '' ? [] : text.replace(/\n$/, '').split('\n') };
    } catch (err) {
      if (err instanceof CoolifyError && err.upstreamStatus === 400 && /not running/i.test(err.message)) return { lines: [], notRunning: 'Coolify says the application is not running, so it has no container logs.' };
      throw err;
    }
  }

  private async call<T>(c: Call<T>): Promise<T> {
    const url = new URL(this.base + c.path);
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(c.signal);
      const res = await this.send(url, c);
      const text = await res.text();
      const body = parseJson(text);
      if (res.status === 429) {
        const waitS = Number(res.headers.get('retry-after') ?? '1');
        const waitMs = Number.isFinite(waitS) && waitS >= 0 ? waitS * 1000 : 1000;
        if (waitMs > this.maxRetryWaitMs) {
          throw new CoolifyError('coolify_rate_limited', `Coolify is rate-limiting Hangar and asks it to wait ${waitS} s before trying to ${c.what} again; that is longer than Hangar waits (${this.maxRetryWaitMs / 1000} s). Retry later, or raise the API rate limit in Coolify.`, 429);
        }
        if (attempt >= this.maxRetries) {
          throw new CoolifyError('coolify_rate_limited', `Coolify kept rate-limiting Hangar (429, Retry-After ${waitS} s) after ${attempt + 1} tries to ${c.what}. Wait a minute and retry, or raise the API rate limit in Coolify.`, 429);
        }
        await sleep(waitMs, c.signal);
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, body, c.what, this.opts.url);
      const parsed = c.schema.safeParse(body);
      if (!parsed.success) {
        throw new CoolifyError('coolify_bad_answer', `Coolify's answer to "${c.what}" is not what Hangar expects (${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message}). Is HANGAR_COOLIFY_URL a Coolify 4.x instance?`, res.status);
      }
      return parsed.data;
    }
  }

  private async send(url: URL, c: Call<unknown>): Promise<Response> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = c.signal ? AbortSignal.any([c.signal, timeout]) : timeout;
    try {
      return await this.fetch(url, {
        method: c.method,
        headers: {
          Authorization: `Bearer ${this.opts.token}`,
          Accept: 'application/json',
          ...(c.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        signal,
      });
    } catch (err) {
      throwIfAborted(c.signal);
      if (timeout.aborted) throw new CoolifyError('coolify_unreachable', `Coolify at ${this.opts.url} did not answer within ${this.requestTimeoutMs / 1000} s when asked to ${c.what}. Check that the instance is up.`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CoolifyError('coolify_unreachable', `Cannot reach Coolify at ${this.opts.url} to ${c.what} (${cause?.code ?? cause?.message ?? (err as Error).message}). Check HANGAR_COOLIFY_URL and that the instance is up.`);
    }
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled.');
}

/** Waits `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('Cancelled.'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('Cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const enc = encodeURIComponent;

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
