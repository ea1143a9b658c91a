import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { ProjectRow } from '../db/schema';
import { conflict, HttpError, notFound } from '../errors';
import { basicAuth } from '../runtime/health';
import type { ProjectService } from '../services/projects';
import type { HangarEvent } from '../contract';
import type { EventHub } from '../events/eventHub';
import type { AgentConnections } from './agentConnections';

/** Where one project's opencode answers and the password it wants. Never log `password` or `authorization`. */
export interface AgentTarget {
  projectId: string;
  baseUrl: string;
  password: string;
  /** The Basic auth header for `password`, built once. */
  authorization?: string;
  /** Keep-alive connections to this agent (AgentConnections); without it each request opens its own. */
  pool?: http.Agent;
}

/** How long a resolved agent is reused without an event about its project (a safety net: events invalidate it). */
const RESOLVED_TTL_MS = 5000;
const MAX_RESOLVED = 10_000;

/**
 * Resolves a project to its running agent. A running project's target is kept (with its owner) until an
 * event about the project (status, update, delete) or RESOLVED_TTL_MS, so a proxied request costs no
 * database read; the password is decrypted once per sealed value. A project that is not running is
 * read every time, so its 409 says the current status.
 */
export class AgentTargets {
  private readonly passwords = new Map<string, { sealed: string; password: string }>();
  private readonly resolved = new Map<string, { ownerId: string; target: AgentTarget; until: number }>();
  /** Bumped by every invalidation: a lookup that started before one does not cache what it read. */
  private epoch = 0;

  constructor(
    private readonly projects: ProjectService,
    /** Followed, not observed: a change made through another replica must drop this one's target too. */
    hub?: Pick<EventHub, 'follow'>,
    private readonly now: () => number = Date.now,
    private readonly connections?: AgentConnections,
  ) {
    hub?.follow((_userId, event) => {
      const id = projectOf(event);
      if (id === undefined) return;
      this.epoch++;
      this.resolved.delete(id);
      if (agentGone(event)) this.connections?.drop(id);
    });
  }

  /** Owner-checked: another user's project is 404; a project that is not running is 409. */
  async forUser(userId: string, projectId: string): Promise<AgentTarget> {
    const hit = this.resolved.get(projectId);
    if (hit && hit.ownerId === userId && hit.until > this.now()) return hit.target;
    const epoch = this.epoch;
    const row = await this.projects.ownedRow(userId, projectId);
    const target = await this.fromRow(row);
    if (epoch === this.epoch) {
      if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
      this.resolved.set(projectId, { ownerId: row.owner_id, target, until: this.now() + RESOLVED_TTL_MS });
    }
    return target;
  }

  /** For the event relay's reconnects (the owner was checked when the client attached). */
  async byId(projectId: string): Promise<AgentTarget> {
    const row = await this.projects.rowById(projectId);
    if (!row) throw notFound('Project');
    return this.fromRow(row);
  }

  private async fromRow(row: ProjectRow): Promise<AgentTarget> {
    if (row.status !== 'running' || !row.agent_url) {
      const why = row.status_reason ? ` (${row.status_reason})` : '';
      throw conflict('project_not_running',
        `The project is ${row.status.replace(/_/g, ' ')}${why}, so its agent cannot answer. Start or deploy it (POST /api/projects/${row.id}/start or /deploy) and try again.`,
        { status: row.status });
    }
    const baseUrl = row.agent_url.replace(/\/+$/, '');
    const password = await this.password(row);
    const target: AgentTarget = { projectId: row.id, baseUrl, password, authorization: basicAuth(password) };
    if (this.connections) target.pool = this.connections.for(row.id, baseUrl);
    return target;
  }

  private async password(row: ProjectRow): Promise<string> {
    const sealed = row.opencode_password_enc;
    const cached = this.passwords.get(row.id);
    if (sealed && cached?.sealed === sealed) return cached.password;
    const { opencodePassword } = await this.projects.secrets(row.id);
    if (sealed) this.passwords.set(row.id, { sealed, password: opencodePassword });
    return opencodePassword;
  }
}

export interface UpstreamRequest {
  method: string;
  /** Path on the agent, built by the proxy from its allow-list (never the client's raw path). */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  timeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
  /** The agent's body as it arrives; null for 204 and empty answers. */
  body: Readable | null;
}

/** The largest error body from the agent that is passed on in `details`. */
const MAX_ERROR_BODY = 16 * 1024;

/**
 * One request to the agent with the project's Basic auth and nothing of the client's headers, over the
 * project's keep-alive pool when it has one. The timeout covers the wait for the agent's headers; a
 * success body is then streamed (a long transcript is not held in memory) and stops when the client
 * goes away. Failures map to the proxy's errors: unreachable 502, slow 504, wrong password 502, the
 * agent's own 4xx as `agent_rejected` (same status) and 5xx as `agent_failed` (502), its body in details.
 */
export async function callAgent(target: AgentTarget, req: UpstreamRequest): Promise<UpstreamResponse> {
  let res: http.IncomingMessage;
  try {
    res = await sendWithRetry(target, req);
  } catch (err) {
    if (err instanceof AgentTimeout) {
      throw new HttpError(504, 'agent_timeout',
        `The agent did not answer ${req.method} ${req.path} within ${req.timeoutMs} ms. It may be overloaded or stuck: check GET /api/projects/${target.projectId}/logs, or restart the project.`,
        undefined, true);
    }
    throw new HttpError(502, 'agent_unreachable',
      `The agent of this project did not answer (${(err as Error).message}). It may have just stopped or crashed: check its status and GET /api/projects/${target.projectId}/logs, then start or restart it.`,
      undefined, true);
  }
  const status = res.statusCode ?? 502;
  if (status === 401) {
    res.resume();
    throw new HttpError(502, 'agent_auth_failed',
      'The agent refused the project\'s server password; its process runs with another one. Redeploy the project to give it the current password.', undefined, true);
  }
  if (status >= 400) {
    const details = { status, body: parseErrorBody(await readCapped(res, MAX_ERROR_BODY)) };
    if (status >= 500) throw new HttpError(502, 'agent_failed', `The agent failed on ${req.method} ${req.path} (HTTP ${status}); its answer is in details.`, details, true);
    throw new HttpError(status, 'agent_rejected', `The agent refused ${req.method} ${req.path} (HTTP ${status}); its answer is in details.`, details, true);
  }
  const empty = status === 204 || res.headers['content-length'] === '0';
  // An empty answer is read to its end so its connection goes back to the pool.
  if (empty) res.resume();
  return { status, contentType: res.headers['content-type'], body: empty ? null : res };
}

/**
 * A pooled connection the agent closed while idle fails the next request on it with ECONNRESET
 * before any answer: a read (GET) is sent again once on a new connection.
 */
async function sendWithRetry(target: AgentTarget, req: UpstreamRequest): Promise<http.IncomingMessage> {
  try {
    return await send(target, req);
  } catch (err) {
    if (!(err instanceof StaleConnection)) throw err;
    if (req.method !== 'GET') throw err.cause;
    return send(target, req).catch((e: unknown) => { throw e instanceof StaleConnection ? e.cause : e; });
  }
}

function send(target: AgentTarget, req: UpstreamRequest): Promise<http.IncomingMessage> {
  const qs = req.query?.toString();
  const url = new URL(`${target.baseUrl}${req.path}${qs ? `?${qs}` : ''}`);
  const headers: http.OutgoingHttpHeaders = {
    Authorization: target.authorization ?? basicAuth(target.password), Accept: 'application/json',
  };
  let payload: Buffer | undefined;
  if (req.body !== undefined) {
    payload = Buffer.from(JSON.stringify(req.body));
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const out = request(url, { method: req.method, headers, agent: target.pool });
    const timer = setTimeout(() => out.destroy(new AgentTimeout()), req.timeoutMs);
    out.on('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    out.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(out.reusedSocket && err.code === 'ECONNRESET' ? new StaleConnection(err) : err);
    });
    out.end(payload);
  });
}

class AgentTimeout extends Error {
  override name = 'AgentTimeout';
}

class StaleConnection extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** At most `max` bytes of the body, then the rest is dropped (with its connection). */
async function readCapped(res: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= max) break;
    }
  } catch {
    // a truncated error body is still worth showing
  }
  return Buffer.concat(chunks).subarray(0, max);
}

function parseErrorBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** True when the event says the project's agent process is gone (stopped, failed, deleted). */
function agentGone(event: HangarEvent): boolean {
  switch (event.type) {
    case 'project.status': return event.data.status !== 'running';
    case 'project.updated': return event.data.project.status !== 'running';
    case 'project.deleted': return true;
    default: return false;
  }
}

/** The project an event changes the agent of, if any. */
function projectOf(event: HangarEvent): string | undefined {
  switch (event.type) {
    case 'project.status': return event.data.projectId;
    case 'project.updated': return event.data.project.id;
    case 'project.deleted': return event.data.id;
    default: return undefined;
  }
}
