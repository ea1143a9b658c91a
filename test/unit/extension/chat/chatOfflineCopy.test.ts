import assert from 'node:assert/strict';
import { ChatOfflineCopy, COPY_SETTLE_MS, type TranscriptCache } from '../../../../extension/chat/chatOfflineCopy';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A copy over an in-memory cache; `reads` counts the agent reads of each session. */
function world() {
  const saved = new Map<string, { title?: string; messages: readonly unknown[] }>();
  const reads: string[] = [];
  const cache: TranscriptCache = {
    ready: Promise.resolve(),
    list: () => [...saved].map(([sessionId, t]) => ({ sessionId, transcript: { at: 0, ...t } })),
    put: (sessionId, t) => { saved.set(sessionId, t); },
    touch: () => {},
  };
  const copy = new ChatOfflineCopy({
    cache, post: () => {}, log: quiet, projectId: 'p1', now: Date.now,
    fetch: async (sessionId) => { reads.push(sessionId); return [{ info: { id: `m${reads.length}` } }]; },
    title: (sessionId) => `title of ${sessionId}`,
  });
  return { copy, saved, reads };
}

describe('chat: the offline copy follows the agent (issue #14)', () => {
  it('saves a session\'s transcript when its turn ends, without the session being opened; repeated idles are one read', async () => {
    const w = world();
    w.copy.noteEvent({ type: 'message.part.delta', properties: { sessionID: 'ses_a' } });
    w.copy.noteEvent({ type: 'session.status', properties: { sessionID: 'ses_a', status: { type: 'busy' } } });
    w.copy.noteEvent({ type: 'session.status', properties: { sessionID: 'ses_a', status: { type: 'idle' } } });
    w.copy.noteEvent({ type: 'session.idle', properties: { sessionID: 'ses_a' } });
    w.copy.noteEvent({ type: 'session.idle', properties: { sessionID: 'ses_b' } });
    assert.deepEqual(w.reads, [], 'nothing read on the hot path');
    await sleep(COPY_SETTLE_MS + 100);
    assert.deepEqual(w.reads.sort(), ['ses_a', 'ses_b']);
    assert.equal(w.saved.get('ses_a')?.title, 'title of ses_a');
    assert.equal(w.saved.get('ses_a')?.messages.length, 1);
    w.copy.noteEvent({ type: 'session.idle', properties: { sessionID: 'ses_a' } });
    await sleep(COPY_SETTLE_MS + 100);
    assert.equal(w.reads.filter((s) => s === 'ses_a').length, 2, 'the next turn is read again');
    w.copy.dispose();
  });

  it('reads nothing after it is disposed (the panel closed)', async () => {
    const w = world();
    w.copy.noteEvent({ type: 'session.idle', properties: { sessionID: 'ses_a' } });
    w.copy.dispose();
    await sleep(COPY_SETTLE_MS + 100);
    assert.deepEqual(w.reads, []);
  });
});
