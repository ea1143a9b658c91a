// Issue #19: a replica whose PostgreSQL goes away keeps what it publishes meanwhile and writes it, in
// order, when the database is back (sharedEventHub.ts drainWrites retries with backoff); a warning is
// logged once, not once per retry; past its bound the oldest events become one resync per user.
// The database is taken away from the publishing replica only, by a TCP relay between the two
// (support/tcpOutage.ts); the other replica reads the table directly and sees what arrives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HangarEvent } from '../../../backend/contract';
import { openDatabase, type Db } from '../../../backend/db/database';
import { RESYNC_REASON } from '../../../backend/events/eventWriteQueue';
import { SharedEventHub } from '../../../backend/events/sharedEventHub';
import type { Logger } from '../../../backend/logger';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { until } from '../faults/support';
import { startTcpOutage, type TcpOutage } from '../support/tcpOutage';

interface Line { level: string; msg: string; fields?: Record<string, unknown> }
const recorder = (lines: Line[]): Logger => ({
  debug: () => undefined,
  info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
});
const nameOf = (e: HangarEvent) => (e.type === 'resync' ? 'resync' : (e.data as { id: string }).id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('replicas: events published while PostgreSQL is away are stored when it is back', function () {
  this.timeout(120_000);
  let pg: Postgres | null;
  let dir: string;
  let outage: TcpOutage;
  let direct: Db;
  let reader: SharedEventHub;
  const cleanup: (() => Promise<void>)[] = [];

  before(async function () {
    pg = await requirePostgres({ log: () => {} });
    if (!pg) return this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-outage-'));
    const url = new URL(await databaseUrlFor(dir));
    direct = await openDatabase({ kind: 'postgres', url: url.toString() });
    reader = new SharedEventHub(10_000, direct, url.toString(), recorder([]), { pollMs: 200 });
    await reader.start();
    outage = await startTcpOutage({ host: url.hostname, port: Number(url.port) });
  });
  after(async () => {
    for (const c of cleanup.reverse()) await c();
    await reader?.close();
    await direct?.destroy();
    await outage?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await pg?.stop();
  });

  beforeEach(() => outage?.up());

  /** A replica whose every connection to the database goes through the relay. */
  async function publisher(lines: Line[], maxQueued?: number): Promise<SharedEventHub> {
    const url = new URL(await databaseUrlFor(dir));
    url.port = String(outage.port);
    const db = await openDatabase({ kind: 'postgres', url: url.toString() });
    const hub = new SharedEventHub(10_000, db, url.toString(), recorder(lines), {
      pollMs: 200, retryBaseMs: 50, retryMaxMs: 400, ...(maxQueued ? { maxQueued } : {}),
    });
    await hub.start();
    cleanup.push(async () => { outage.up(); await hub.close(); await db.destroy(); });
    return hub;
  }

  it('keeps the batch, retries with backoff, writes everything in publish order, warns once', async () => {
    const lines: Line[] = [];
    const hub = await publisher(lines);
    const seen: HangarEvent[] = [];
    const own: HangarEvent[] = [];
    const unsubscribe = [reader.subscribe('alice', (e) => seen.push(e)), hub.subscribe('alice', (e) => own.push(e))];
    try {
      for (let i = 0; i < 3; i++) hub.publish('alice', 'project.deleted', { id: `before-${i}` });
      await hub.flushed();
      await until('the reader to see the first 3', () => (seen.length >= 3 ? true : undefined), 10_000);

      outage.down();
      const refusedBefore = outage.refused;
      for (let i = 0; i < 40; i++) {
        hub.publish('alice', 'project.deleted', { id: `during-${i}` });
        if (i % 10 === 0) await sleep(100);
      }
      await sleep(2_000);
      assert.equal(seen.length, 3, 'nothing reached the database while it was away');
      assert.ok(outage.refused - refusedBefore >= 3, `the writer retried (${outage.refused - refusedBefore} refused connections)`);
      const warnings = lines.filter((l) => l.msg === 'cannot store events; retrying');
      assert.equal(warnings.length, 1, 'one warning while the database stays away, not one per retry');
      assert.equal(warnings[0]!.fields?.dropped, 0);
      assert.ok(!lines.some((l) => l.msg === 'could not store events'), 'no batch was given up');

      outage.up();
      await hub.flushed();
      const expected = [
        ...Array.from({ length: 3 }, (_, i) => `before-${i}`), ...Array.from({ length: 40 }, (_, i) => `during-${i}`),
      ];
      await until('the reader to see all 43', () => (seen.length >= expected.length ? true : undefined), 20_000);
      await sleep(300); // a duplicate would show by now
      assert.deepEqual(seen.map(nameOf), expected, 'every event once, in publish order');
      const ids = seen.map((e) => e.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids increase');
      await until('the publisher\'s own subscriber too', () => (own.length >= expected.length ? true : undefined), 20_000);
      assert.deepEqual(own.map((e) => e.id), ids, 'both replicas deliver the same ids in the same order');
      assert.ok(lines.some((l) => l.msg === 'events stored again'), 'recovery is logged');
    } finally {
      for (const u of unsubscribe) u();
    }
  });

  it('past its bound keeps the newest and tells each user who lost events to resync', async () => {
    const lines: Line[] = [];
    const hub = await publisher(lines, 10);
    const seen: HangarEvent[] = [];
    const bob: HangarEvent[] = [];
    const unsubscribe = [reader.subscribe('alice', (e) => seen.push(e)), reader.subscribe('bob', (e) => bob.push(e))];
    try {
      outage.down();
      hub.publish('bob', 'project.deleted', { id: 'bob-0' });
      for (let i = 0; i < 100; i++) hub.publish('alice', 'project.deleted', { id: `a-${i}` });
      await sleep(500);
      outage.up();
      await hub.flushed();
      await until('the newest of alice\'s events', () => (seen.some((e) => nameOf(e) === 'a-99') ? true : undefined), 20_000);
      await sleep(300);
      const names = seen.map(nameOf);
      assert.equal(names[0], 'resync', 'the dropped events became a resync, first');
      assert.deepEqual((seen[0]!.data as { reason: string }).reason, RESYNC_REASON);
      assert.ok(names.length <= 10, `bounded: ${names.length} delivered`);
      const kept = names.slice(1);
      assert.deepEqual(kept, kept.map((_, i) => `a-${100 - kept.length + i}`), 'the newest, in order');
      assert.deepEqual(bob.map(nameOf), ['resync'], 'bob lost his event and is told so');
      assert.ok(lines.some((l) => l.msg === 'events stored again' && Number(l.fields?.dropped) > 0));
    } finally {
      for (const u of unsubscribe) u();
    }
  });
});
