import assert from 'node:assert/strict';
import type { Operation } from '../../../../backend/contract';
import { ApiError } from '../../../../extension/core/apiError';
import { QueuedActions, queuedNote, type QueuedAction, type Settled } from '../../../../extension/projects/queuedActions';
import { anOperation, FakeClock } from '../builders';

const SERVER = 'https://hangar.example';
const ctx = { method: 'POST', path: '/api/projects/p/stop' };
const down = () => new ApiError(0, 'network_error', 'connect ECONNREFUSED', ctx);

/** An outbox over a scripted "API": each send answers with the next scripted result, recording its key. */
function world(opts: { online?: boolean } = {}) {
  const clock = new FakeClock();
  let online = opts.online ?? false;
  const sent: { project: string; kind: string; key: string }[] = [];
  const answers: (Operation | Error)[] = [];
  const saved: (readonly QueuedAction[])[] = [];
  const settled: Settled[] = [];
  const outbox = new QueuedActions({
    server: () => SERVER,
    online: () => online,
    send: (a) => {
      sent.push({ project: a.projectId, kind: a.kind, key: a.idempotencyKey });
      const next = answers.shift() ?? anOperation({ kind: a.kind, projectId: a.projectId });
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    save: (items) => { saved.push(items.map((i) => ({ ...i }))); },
    settled: (s) => settled.push(s),
    timers: clock,
    random: () => 0,
  });
  return { outbox, clock, sent, answers, saved, settled, setOnline: (v: boolean) => { online = v; } };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('projects: queued Start/Stop (the action outbox, issue #14)', () => {
  it('keeps a Stop asked for offline, stored with its key, and sends it once when the server answers', async () => {
    const w = world();
    const action = w.outbox.add({ id: 'p1', name: 'alpha' }, 'stop');
    await flush();
    assert.deepEqual(w.sent, [], 'nothing is sent while offline');
    assert.equal(w.saved.at(-1)?.[0]?.idempotencyKey, action.idempotencyKey, 'stored durably with its key');
    assert.match(action.idempotencyKey, /^hgr-[0-9a-f-]{36}$/);
    assert.equal(w.outbox.forProject('p1')?.kind, 'stop');
    w.setOnline(true);
    await w.outbox.drain();
    await w.outbox.drain();
    assert.deepEqual(w.sent, [{ project: 'p1', kind: 'stop', key: action.idempotencyKey }]);
    assert.equal(w.outbox.items.length, 0);
    assert.deepEqual(w.saved.at(-1), []);
    assert.equal(w.settled.length, 1);
    assert.ok('operation' in w.settled[0]! && w.settled[0].operation.kind === 'stop');
  });

  it('sends again with the same key after a passing failure (a lost answer), by itself after a short backoff', async () => {
    const w = world({ online: true });
    w.answers.push(down(), new ApiError(503, 'internal', 'agent restarting', ctx));
    const action = w.outbox.add({ id: 'p1', name: 'alpha' }, 'start');
    await flush();
    assert.equal(w.sent.length, 1);
    assert.equal(w.outbox.forProject('p1')?.lastError, 'connect ECONNREFUSED', 'the row can say why it still waits');
    w.clock.advance(500);
    await flush();
    assert.equal(w.sent.length, 2);
    w.clock.advance(5_000);
    await flush();
    assert.deepEqual(w.sent.map((s) => s.key), [action.idempotencyKey, action.idempotencyKey, action.idempotencyKey]);
    assert.equal(w.outbox.items.length, 0);
    assert.equal(w.settled.length, 1);
  });

  it('ends an action the server refuses for good (the project was deleted) with the reason, without retrying', async () => {
    const w = world({ online: true });
    w.answers.push(new ApiError(404, 'not_found', 'Project not found', ctx));
    w.outbox.add({ id: 'gone', name: 'gone' }, 'stop');
    await flush();
    w.clock.advance(60_000);
    await flush();
    assert.equal(w.sent.length, 1);
    assert.equal(w.outbox.items.length, 0);
    assert.deepEqual(w.settled.map((s) => ('error' in s ? s.error : 'ok')), ['Project not found']);
  });

  it('can be cancelled while it waits; a new action for the same project replaces the one waiting', async () => {
    const w = world();
    const stop = w.outbox.add({ id: 'p1', name: 'alpha' }, 'stop');
    w.outbox.add({ id: 'p2', name: 'beta' }, 'stop');
    const start = w.outbox.add({ id: 'p1', name: 'alpha' }, 'start');
    assert.deepEqual(w.outbox.items.map((a) => [a.projectId, a.kind]), [['p2', 'stop'], ['p1', 'start']]);
    assert.notEqual(start.idempotencyKey, stop.idempotencyKey);
    assert.equal(w.outbox.cancel('p2'), true);
    assert.equal(w.outbox.cancel('p2'), false);
    w.setOnline(true);
    await w.outbox.drain();
    assert.deepEqual(w.sent.map((s) => [s.project, s.kind]), [['p1', 'start']]);
  });

  it('survives a restart: restored items keep their keys; what no longer fits the schema is dropped', async () => {
    const a = world();
    const action = a.outbox.add({ id: 'p1', name: 'alpha' }, 'stop');
    const stored: unknown = JSON.parse(JSON.stringify(a.saved.at(-1)));
    const b = world({ online: true });
    b.outbox.restore(stored);
    await b.outbox.drain();
    assert.deepEqual(b.sent, [{ project: 'p1', kind: 'stop', key: action.idempotencyKey }]);
    const c = world();
    c.outbox.restore([{ id: 'x', kind: 'explode' }]);
    assert.equal(c.outbox.items.length, 0);
  });

  it('sends only the current server\'s actions', async () => {
    let server = 'https://one.example';
    const sent: string[] = [];
    const outbox = new QueuedActions({
      server: () => server, online: () => false, save: () => {}, settled: () => {}, timers: new FakeClock(),
      send: (x) => { sent.push(`${x.server} ${x.projectId}`); return Promise.resolve(anOperation()); },
    });
    outbox.add({ id: 'p1', name: 'a' }, 'stop');
    server = 'https://two.example';
    assert.equal(outbox.forProject('p1'), undefined);
    outbox.add({ id: 'p2', name: 'b' }, 'stop');
    (outbox as unknown as { ports: { online: () => boolean } }).ports.online = () => true;
    await outbox.drain();
    assert.deepEqual(sent, ['https://two.example p2']);
    assert.equal(outbox.items.length, 1);
  });

  it('notes the queued action on the row, with the last failure in the tooltip', () => {
    const note = queuedNote({
      id: 'a', server: SERVER, projectId: 'p', projectName: 'alpha', kind: 'stop', idempotencyKey: 'hgr-12345678',
      createdAt: 0, attempts: 1, lastError: 'connect ECONNREFUSED',
    });
    assert.equal(note.description, 'stop queued');
    assert.match(note.tooltip, /^\$\(clock\) \*\*Stop queued:\*\* sent by itself, once.*The last attempt failed: connect ECONNREFUSED\./);
  });
});
