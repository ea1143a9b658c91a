// Two API processes on one PostgreSQL share one event stream per user (issue #19): the database
// numbers every event (the SSE id), LISTEN/NOTIFY wakes the other replica, and Last-Event-ID
// replays from whichever replica a client reconnects to.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Project } from '../../../backend/contract';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { kill9, spawnApi, until, type ApiProcess } from '../faults/support';
import { openEventStream, type SseFrame } from '../support/sseReader';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const projectEvents = (frames: SseFrame[]) => frames.filter((f) => f.event?.startsWith('project.'));
const summary = (frames: SseFrame[]) => projectEvents(frames).map((f) => `${f.id} ${f.event} ${(JSON.parse(f.data!) as { data: { project: Project } }).data.project.name}`);

describe('replicas: one event order on PostgreSQL', function () {
  this.timeout(120_000);
  let pg: Postgres | null;
  let dir: string;
  const apis: ApiProcess[] = [];

  before(async function () {
    pg = await requirePostgres({ log: () => {} });
    if (!pg) return this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-events-'));
    const env = { HANGAR_DATABASE_URL: await databaseUrlFor(dir) };
    apis.push(await spawnApi(dir, env));
    apis.push(await spawnApi(dir, env));
  });
  after(async () => {
    for (const api of apis) await kill9(api.proc);
    if (dir) removeDataDir(dir);
    await pg?.stop();
  });

  it('a client on each replica sees every event of its user, published through either, with the same ids in the same order', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const onA = await openEventStream(a.url, a.token);
    const onB = await openEventStream(b.url, b.token);
    try {
      await Promise.all([onA.waitFor((f) => f.comment === 'connected'), onB.waitFor((f) => f.comment === 'connected')]);
      // Concurrent writes through both replicas: the database decides one order.
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? b : a).http.post('/api/projects', { name: `order-${i}` })));
      await until('both clients to see the 12 creations', () =>
        projectEvents(onA.frames).length >= 12 && projectEvents(onB.frames).length >= 12 ? true : undefined, 20_000);
      assert.equal(projectEvents(onA.frames).length, 12);
      assert.deepEqual(summary(onB.frames), summary(onA.frames));
      const ids = projectEvents(onA.frames).map((f) => Number(f.id));
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'ids increase');
      assert.deepEqual(new Set(summary(onA.frames).map((s) => s.split(' ')[2])).size, 12);
    } finally {
      await onA.close();
      await onB.close();
    }
  });

  it('a client moved from one replica to the other mid-stream loses nothing and gets nothing twice (Last-Event-ID)', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const first = await openEventStream(a.url, a.token);
    await first.waitFor((f) => f.comment === 'connected');
    for (const name of ['move-1', 'move-2']) await a.http.post('/api/projects', { name });
    await until('two events on A', () => (projectEvents(first.frames).length >= 2 ? true : undefined), 10_000);
    const lastId = projectEvents(first.frames).at(-1)!.id!;
    await first.close();
    // While the client is away: events through both replicas.
    await a.http.post('/api/projects', { name: 'move-3' });
    await b.http.post('/api/projects', { name: 'move-4' });
    const second = await openEventStream(b.url, b.token, lastId);
    try {
      await second.waitFor((f) => f.comment === 'connected');
      await b.http.post('/api/projects', { name: 'move-5' });
      await until('three events on B', () => (projectEvents(second.frames).length >= 3 ? true : undefined), 10_000);
      await new Promise((r) => setTimeout(r, 1500)); // a duplicate would arrive by now (the poll backstop is 1 s)
      const names = summary([...first.frames, ...second.frames]).map((s) => s.split(' ')[2]);
      assert.deepEqual(names, ['move-1', 'move-2', 'move-3', 'move-4', 'move-5']);
      assert.ok(second.frames.every((f) => f.event !== 'resync'));
    } finally {
      await second.close();
    }
  });

  it('delivers an event published through one replica to a client on the other within a second', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const onA = await openEventStream(a.url, a.token);
    const onB = await openEventStream(b.url, b.token);
    const same: number[] = [];
    const other: number[] = [];
    try {
      await Promise.all([onA, onB].map((s) => s.waitFor((f) => f.comment === 'connected')));
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const created = a.http.post('/api/projects', { name: `latency-${i}` });
        const seen = (s: typeof onA, into: number[]) =>
          s.waitFor((f) => f.data?.includes(`"latency-${i}"`) ?? false, 10_000).then(() => into.push(performance.now() - t0));
        await Promise.all([created, seen(onA, same), seen(onB, other)]);
      }
    } finally {
      await onA.close();
      await onB.close();
    }
    const p = (xs: number[], q: number) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };
    // NOTIFY wakes the other replica; the 1 s poll is only the backstop: well under it.
    assert.ok(p(other, 0.5) < 500, `p50 ${p(other, 0.5).toFixed(1)} ms`);
    if (process.env.HANGAR_REPORT_TIMINGS) {
      const f = (xs: number[]) => `p50 ${p(xs, 0.5).toFixed(1)} ms, p95 ${p(xs, 0.95).toFixed(1)} ms`;
      console.log(`      POST on A → event on B: ${f(other)}; on A itself: ${f(same)} (n=20)`);
    }
  });

  it('an id the database never issued gets a resync on either replica', async () => {
    for (const api of apis) {
      const s = await openEventStream(api.url, api.token, '999999999');
      try {
        const frame = await s.waitFor((f) => f.event === 'resync');
        assert.match(frame.data!, /unknown event id/);
      } finally {
        await s.close();
      }
    }
  });
});
