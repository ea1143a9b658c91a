import assert from 'node:assert/strict';
import { PromptQueue, Transient, type QueueItem } from '../../../../extension/chat/promptQueue';
import { isPassing } from '../../../../extension/core/outbox/passingFailure';
import { retryDelayMs } from '../../../../extension/core/outbox/retryDelay';

/** A queue over a flaky "API": each delivery fails while `down`, recording every attempt's ids. */
function outbox(failure: () => Error = () => new Transient('the API is down')) {
  const attempts: { text: string; messageId?: string; key?: string }[] = [];
  const delivered: string[] = [];
  let down = true;
  const queue = new PromptQueue({
    canSend: () => true,
    deliver: (item) => {
      attempts.push({ text: item.text, messageId: item.messageId, key: item.idempotencyKey });
      if (down) return Promise.reject(failure());
      delivered.push(item.text);
      return Promise.resolve(item.sessionId);
    },
    changed: () => {},
  });
  return { queue, attempts, delivered, up: () => { down = false; } };
}

describe('chat: the prompt outbox (issue #14)', () => {
  it('fixes the key when the prompt is written and the message id at its first attempt; every attempt sends the same', async () => {
    const o = outbox();
    o.queue.add({ sessionId: 'ses_a', text: 'one', mentions: [] });
    await o.queue.pump();
    await o.queue.resume();
    o.up();
    await o.queue.resume();
    assert.equal(o.attempts.length, 3);
    assert.equal(new Set(o.attempts.map((a) => `${a.messageId}|${a.key}`)).size, 1);
    assert.match(o.attempts[0]!.messageId!, /^msg_[0-9a-f]{12}[A-Za-z0-9]{14}$/);
    assert.deepEqual(o.delivered, ['one']);
    o.queue.dispose();
  });

  it('keeps the order: a failed head holds the rest back, and on resume they all go, in order', async () => {
    const o = outbox();
    for (const t of ['one', 'two', 'three']) o.queue.add({ sessionId: 'ses_a', text: t, mentions: [] });
    await o.queue.pump();
    assert.deepEqual(o.queue.items.map((i) => [i.text, i.retryable ?? false, i.error !== undefined]), [['one', true, true], ['two', false, false], ['three', false, false]]);
    o.up();
    for (let i = 0; i < 3; i++) await o.queue.resume();
    assert.deepEqual(o.delivered, ['one', 'two', 'three']);
    o.queue.dispose();
  });

  it('sends a prompt that failed for a passing reason again by itself, after a backoff', async () => {
    const o = outbox();
    o.queue.add({ sessionId: 'ses_a', text: 'by itself', mentions: [] });
    await o.queue.pump();
    o.up();
    const deadline = Date.now() + 3000;
    while (o.delivered.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(o.delivered, ['by itself']);
  });

  it('leaves a prompt the server refused (not a passing failure) for the user to retry or discard', async () => {
    const o = outbox(() => new Error('the agent refused the prompt'));
    o.queue.add({ sessionId: 'ses_a', text: 'refused', mentions: [] });
    await o.queue.pump();
    o.up();
    await o.queue.resume();
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual([o.delivered, o.queue.items[0]?.error], [[], 'the agent refused the prompt']);
    o.queue.retry(o.queue.items[0]!.id);
    await o.queue.pump();
    assert.deepEqual(o.delivered, ['refused']);
  });

  it('gives restored prompts written before keys existed a key, and keeps the ids they had', () => {
    const o = outbox();
    const old: QueueItem = { id: 'q1', sessionId: 'ses_a', text: 'old', mentions: [], createdAt: 1_700_000_000_000 };
    const kept: QueueItem = { ...old, id: 'q2', messageId: 'msg_0123456789abCDEFGHIJKLMNOPQR', idempotencyKey: 'hgr-kept-key' };
    o.queue.restore([old, kept]);
    const [a, b] = o.queue.items;
    assert.equal(a!.messageId, undefined, 'minted at its first attempt');
    assert.match(a!.idempotencyKey!, /^hgr-/);
    assert.deepEqual([b!.messageId, b!.idempotencyKey], [kept.messageId, kept.idempotencyKey]);
  });

  it('classifies passing failures: no answer, 5xx, 429, a key still running; not 4xx refusals', () => {
    const cases: [unknown, boolean][] = [
      [{ status: 0, code: 'network_error' }, true], [{ status: 0, code: 'timeout' }, true], [{ status: 0, code: 'aborted' }, false],
      [{ status: 502, code: 'agent_unreachable' }, true], [{ status: 504, code: 'agent_timeout' }, true], [{ status: 429, code: 'too_many' }, true],
      [{ status: 409, code: 'idempotency_key_in_use' }, true], [{ status: 400, code: 'validation_failed' }, false],
      [{ status: 404, code: 'agent_rejected' }, false], [new Error('x'), false], [null, false],
    ];
    for (const [e, want] of cases) assert.equal(isPassing(e), want, JSON.stringify(e));
  });

  it('backs off with jitter up to 30 s', () => {
    assert.deepEqual([retryDelayMs(1, () => 0), retryDelayMs(1, () => 1)], [500, 1000]);
    assert.deepEqual([retryDelayMs(3, () => 0), retryDelayMs(3, () => 1)], [2000, 4000]);
    assert.equal(retryDelayMs(20, () => 1), 30_000);
    assert.equal(retryDelayMs(20, () => 0), 15_000);
  });
});
