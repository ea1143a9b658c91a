import assert from 'node:assert/strict';
import { NEW_SESSION, PromptQueue, queueView, type QueueItem } from '../../../../extension/chat/promptQueue';
import { AWAIT_BUSY_MS, SessionActivity } from '../../../../extension/chat/sessionActivity';

/** A queue whose sessions are idle unless told, recording what it delivered. */
function rig() {
  const busy = new Set<string>();
  const delivered: string[] = [];
  const snapshots: QueueItem[][] = [];
  let failWith: string | undefined;
  let t = 1_000;
  const queue = new PromptQueue({
    canSend: (sid) => !busy.has(sid),
    deliver: (item) => {
      if (failWith) return Promise.reject(new Error(failWith));
      delivered.push(`${item.sessionId}:${item.text}`);
      busy.add(item.sessionId); // the agent works on it
      return Promise.resolve(item.sessionId === NEW_SESSION ? 'ses_created' : item.sessionId);
    },
    changed: (items) => snapshots.push(items.map((i) => ({ ...i }))),
  }, () => t++);
  const add = (sessionId: string, text: string) => queue.add({ sessionId, text, mentions: [] });
  return { queue, busy, delivered, snapshots, add, fail: (m: string | undefined) => { failWith = m; } };
}

describe('chat: prompt queue', () => {
  it('sends at once when the session is idle, and waits while it is busy', async () => {
    const r = rig();
    r.add('ses_a', 'one');
    await r.queue.pump();
    assert.deepEqual(r.delivered, ['ses_a:one']);
    r.add('ses_a', 'two');
    r.add('ses_a', 'three');
    await r.queue.pump();
    assert.deepEqual(r.delivered, ['ses_a:one'], 'busy: nothing more');
    assert.deepEqual(r.queue.items.map((i) => i.text), ['two', 'three']);
  });

  it('sends the rest one by one, in order, each time the session goes idle', async () => {
    const r = rig();
    r.busy.add('ses_a');
    for (const t of ['one', 'two', 'three']) r.add('ses_a', t);
    await r.queue.pump();
    assert.deepEqual(r.delivered, []);
    for (let i = 0; i < 3; i++) {
      r.busy.delete('ses_a');
      await r.queue.pump();
    }
    assert.deepEqual(r.delivered, ['ses_a:one', 'ses_a:two', 'ses_a:three']);
    assert.equal(r.queue.items.length, 0);
  });

  it('keeps sessions independent: a busy one does not hold back another', async () => {
    const r = rig();
    r.busy.add('ses_a');
    r.add('ses_a', 'for a');
    r.add('ses_b', 'for b');
    await r.queue.pump();
    assert.deepEqual(r.delivered, ['ses_b:for b']);
  });

  it('a prompt that could not be sent stays first with its error, blocks those behind it, and Retry sends it', async () => {
    const r = rig();
    r.fail('connect ECONNREFUSED 127.0.0.1:7420');
    r.add('ses_a', 'one');
    r.add('ses_a', 'two');
    await r.queue.pump();
    assert.deepEqual(queueView(r.queue.items), [
      { id: r.queue.items[0]!.id, sessionId: 'ses_a', text: 'one', mentions: [], error: 'connect ECONNREFUSED 127.0.0.1:7420' },
      { id: r.queue.items[1]!.id, sessionId: 'ses_a', text: 'two', mentions: [] },
    ]);
    r.fail(undefined);
    await r.queue.pump();
    assert.deepEqual(r.delivered, [], 'in order: nothing passes a failed prompt');
    assert.ok(r.queue.retry(r.queue.items[0]!.id));
    await r.queue.pump();
    assert.deepEqual(r.delivered, ['ses_a:one']);
    assert.deepEqual(r.queue.items.map((i) => i.text), ['two']);
  });

  it('edits and cancels; an empty edit is refused', async () => {
    const r = rig();
    r.busy.add('ses_a');
    const a = r.add('ses_a', 'one');
    const b = r.add('ses_a', 'two');
    assert.ok(r.queue.edit(a.id, 'one, edited'));
    assert.equal(r.queue.edit(a.id, '   '), false);
    assert.ok(r.queue.cancel(b.id));
    assert.equal(r.queue.cancel(b.id), false);
    assert.deepEqual(r.queue.items.map((i) => i.text), ['one, edited']);
    r.busy.delete('ses_a');
    await r.queue.pump();
    assert.deepEqual(r.delivered, ['ses_a:one, edited']);
  });

  it('never sends the same prompt twice when pumped again while it is being sent', async () => {
    let release!: () => void;
    const delivered: string[] = [];
    const q = new PromptQueue({
      canSend: () => true,
      deliver: (item) => { delivered.push(item.text); return new Promise<string>((res) => { release = () => res(item.sessionId); }); },
      changed: () => undefined,
    });
    q.add({ sessionId: 'ses_a', text: 'once', mentions: [] });
    const first = q.pump();
    await q.pump();
    await q.pump();
    release();
    await first;
    assert.deepEqual(delivered, ['once']);
  });

  it('fail() marks every waiting prompt (a cancelled start), restore() brings back a persisted list, dropSession() forgets one', () => {
    const r = rig();
    r.busy.add('ses_a');
    r.add('ses_a', 'one');
    r.add(NEW_SESSION, 'starts a session');
    r.queue.fail('Start cancelled.');
    assert.deepEqual(r.queue.items.map((i) => i.error), ['Start cancelled.', 'Start cancelled.']);
    const copy = r.queue.items.map((i) => ({ ...i }));
    const other = rig();
    other.queue.restore(copy);
    assert.deepEqual(other.queue.items, copy);
    other.queue.dropSession('ses_a');
    assert.deepEqual(other.queue.items.map((i) => i.sessionId), [NEW_SESSION]);
  });

  it('reports every change (the owner posts and persists it)', async () => {
    const r = rig();
    r.add('ses_a', 'one');
    await r.queue.pump();
    // added; its message id minted (persisted before the request goes out); sent
    assert.deepEqual(r.snapshots.map((s) => s.map((i) => i.text)), [['one'], ['one'], []]);
    assert.deepEqual(r.snapshots.map((s) => s.map((i) => i.messageId !== undefined)), [[false], [true], []]);
  });
});

describe('chat: session activity', () => {
  it('a session a prompt was sent to stays busy through a repeated idle until its own busy', () => {
    let now = 0;
    const a = new SessionActivity(() => now);
    assert.ok(a.isIdle('s'));
    a.sent('s');
    assert.equal(a.isIdle('s'), false);
    assert.equal(a.onStatus('s', 'idle'), false, 'the previous turn\'s second idle (session.idle) does not free it');
    assert.equal(a.onStatus('s', 'busy'), false);
    assert.equal(a.onStatus('s', 'idle'), true, 'the turn ended: free, once');
    assert.equal(a.onStatus('s', 'idle'), false);
    a.sent('s');
    a.unsent('s');
    assert.ok(a.isIdle('s'), 'a failed send frees it');
    a.sent('s');
    now = AWAIT_BUSY_MS - 1;
    a.onSnapshot({}, ['s']);
    assert.equal(a.isIdle('s'), false, 'the REST list right after the send may not show it yet');
    now = AWAIT_BUSY_MS + 1;
    assert.ok(a.stale());
    a.onSnapshot({}, ['s']);
    assert.ok(a.isIdle('s'), 'long after, the REST list decides');
    a.onSnapshot({ s: 'retry' }, ['s']);
    assert.equal(a.isIdle('s'), false);
  });
});
