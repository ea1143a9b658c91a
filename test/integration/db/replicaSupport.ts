import pg from 'pg';
import { openDatabase, type Db } from '../../../backend/db/database';
import { SharedEventHub, type SharedEventOptions } from '../../../backend/events/sharedEventHub';
import type { Logger } from '../../../backend/logger';
import { kill9, spawnApi, type ApiProcess } from '../faults/support';

/** The background jobs a replica's log says it took ("background job runs in this replica {"job":…}"). */
export const jobsTaken = (api: ApiProcess): string[] =>
  [...api.log().matchAll(/background job runs in this replica \{"job":"([a-z-]+)"/g)].map((m) => m[1]!);

export interface Replicas {
  apis: ApiProcess[];
  /** A connection of the test's own to their database, to look at and arrange rows. */
  sql: pg.Client;
  /** kill -9 of every replica still running, and the connection closed. */
  stop(): Promise<void>;
}

/** `count` API processes on the one PostgreSQL database `env.HANGAR_DATABASE_URL`. */
export async function startReplicas(dir: string, env: Record<string, string>, count = 2): Promise<Replicas> {
  const apis: ApiProcess[] = [];
  for (let i = 0; i < count; i++) apis.push(await spawnApi(dir, env));
  const sql = new pg.Client({ connectionString: env.HANGAR_DATABASE_URL });
  await sql.connect();
  return {
    apis,
    sql,
    async stop() {
      await sql.end().catch(() => {});
      for (const api of apis) await kill9(api.proc);
    },
  };
}

/** `count` replicas' event hubs on one PostgreSQL database, each with its own pool and LISTEN connection. */
export async function openHubs(url: string, count: number, log: Logger, opts: SharedEventOptions = {}) {
  const dbs: Db[] = [];
  const hubs: SharedEventHub[] = [];
  for (let r = 0; r < count; r++) {
    const db = await openDatabase({ kind: 'postgres', url });
    dbs.push(db);
    const hub = new SharedEventHub(1000, db, url, log, opts);
    await hub.start();
    hubs.push(hub);
  }
  return {
    hubs,
    async close() {
      for (const hub of hubs) await hub.close();
      for (const db of dbs) await db.destroy();
    },
  };
}
