import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export interface AgentConnectionLimits {
  /** Open connections to one agent at most; more requests wait for one to be free. */
  maxSockets: number;
  /** Idle connections kept open to one agent. */
  maxFreeSockets: number;
  /** An idle connection is closed after this long: below opencode's own idle timeout, so a reused one is open. */
  idleMs: number;
  /** Agents with a pool at most; the least recently used pool is retired past it. */
  maxPools: number;
}

export const DEFAULT_CONNECTION_LIMITS: AgentConnectionLimits = {
  maxSockets: 16, maxFreeSockets: 4, idleMs: 4000, maxPools: 2000,
};

type Pool = http.Agent & { retired: boolean };

/**
 * Keep-alive connections to running agents, one pool per project and agent address, so a proxied
 * request does not open a TCP connection of its own. A pool is retired when its project stops, is
 * deleted or answers at another address (moved, redeployed): in-flight requests finish, then their
 * connections close instead of going back to the pool; idle ones close at once. A stopped agent's
 * pool is destroyed outright (its process is gone).
 */
export class AgentConnections {
  private readonly pools = new Map<string, { baseUrl: string; pool: Pool }>();

  constructor(private readonly limits: AgentConnectionLimits = DEFAULT_CONNECTION_LIMITS) {}

  /** The pool for `projectId`'s agent at `baseUrl`; a pool for an older address is retired. */
  for(projectId: string, baseUrl: string): http.Agent {
    const known = this.pools.get(projectId);
    if (known && known.baseUrl === baseUrl && !known.pool.retired) {
      // Map order is the recency order: move it to the end.
      this.pools.delete(projectId);
      this.pools.set(projectId, known);
      return known.pool;
    }
    if (known) this.retire(projectId);
    if (this.pools.size >= this.limits.maxPools) {
      const oldest = this.pools.keys().next().value;
      if (oldest !== undefined) this.retire(oldest);
    }
    const pool = createPool(baseUrl.startsWith('https:'), this.limits);
    this.pools.set(projectId, { baseUrl, pool });
    return pool;
  }

  /** The project's agent moved or its pool is no longer wanted: requests in flight finish, nothing is reused. */
  retire(projectId: string): void {
    const known = this.pools.get(projectId);
    if (!known) return;
    this.pools.delete(projectId);
    known.pool.retired = true;
    for (const list of Object.values(known.pool.freeSockets)) for (const socket of list ?? []) socket.destroy();
  }

  /** The project's agent stopped or was deleted: every connection to it is closed now. */
  drop(projectId: string): void {
    const known = this.pools.get(projectId);
    if (!known) return;
    this.pools.delete(projectId);
    known.pool.retired = true;
    known.pool.destroy();
  }

  close(): void {
    for (const id of [...this.pools.keys()]) this.drop(id);
  }
}

function createPool(secure: boolean, limits: AgentConnectionLimits): Pool {
  const options: http.AgentOptions = {
    keepAlive: true, maxSockets: limits.maxSockets, maxFreeSockets: limits.maxFreeSockets, timeout: limits.idleMs,
    scheduling: 'lifo',
  };
  // A retired pool closes each connection when its request is done instead of keeping it.
  const Base = secure ? https.Agent : http.Agent;
  const pool = new Base(options) as Pool;
  const keep = pool.keepSocketAlive.bind(pool) as (socket: Duplex) => boolean;
  pool.retired = false;
  pool.keepSocketAlive = ((socket: Duplex) => !pool.retired && keep(socket)) as never;
  return pool;
}
