import assert from 'node:assert/strict';
import { sseFrame } from '../../../../backend/http/sse';

describe('SSE frames', () => {
  it('writes id, event and data, and serialises an event sent as its own data once for every stream', () => {
    let reads = 0;
    const event = { id: 7, type: 'project.created', data: { get name() { reads++; return 'x'; } } };
    const first = sseFrame(event, event);
    assert.equal(first, 'id: 7\nevent: project.created\ndata: {"id":7,"type":"project.created","data":{"name":"x"}}\n\n');
    for (let i = 0; i < 999; i++) assert.equal(sseFrame(event, event), first);
    assert.equal(reads, 1, 'one JSON.stringify for 1,000 streams');
  });

  it('serialises other data every time (it may differ per stream)', () => {
    const event = { id: 1, type: 'resync' };
    assert.equal(sseFrame(event, { reason: 'a' }), 'id: 1\nevent: resync\ndata: {"reason":"a"}\n\n');
    assert.equal(sseFrame(event, { reason: 'b' }), 'id: 1\nevent: resync\ndata: {"reason":"b"}\n\n');
  });
});
