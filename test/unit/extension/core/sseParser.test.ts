import assert from 'node:assert/strict';
import { SseParser, type SseFrame } from '../../../../extension/core/sseParser';

function parse(chunks: Array<string | Uint8Array>): { frames: SseFrame[]; comments: string[]; retries: number[] } {
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const p = new SseParser({ onFrame: (f) => frames.push(f), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) });
  for (const c of chunks) p.feed(c);
  return { frames, comments, retries };
}

describe('SseParser', () => {
  it('parses id, event and multi-line data', () => {
    const { frames } = parse(['id: 7\nevent: project.created\ndata: {"a":\ndata: 1}\n\n']);
    assert.deepEqual(frames, [{ id: '7', event: 'project.created', data: '{"a":\n1}' }]);
  });

  it('handles frames split at every byte, including inside a UTF-8 character', () => {
    const bytes = new TextEncoder().encode('id: 1\nevent: x\ndata: héllo ✓\n\n: ping\n\n');
    const { frames, comments } = parse([...bytes].map((b) => Uint8Array.of(b)));
    assert.deepEqual(frames, [{ id: '1', event: 'x', data: 'héllo ✓' }]);
    assert.deepEqual(comments, ['ping']);
  });

  it('accepts CRLF and lone CR line endings, even a CRLF split across chunks', () => {
    const { frames } = parse(['id: 1\r\ndata: a\r', '\n\r\nid: 2\rdata: b\r\r']);
    assert.deepEqual(frames.map((f) => [f.id, f.data]), [['1', 'a'], ['2', 'b']]);
  });

  it('keeps the last id for later frames, defaults the event name, ignores unknown fields and empty frames', () => {
    const { frames, retries } = parse(['id: 5\nretry: 2500\nfoo: bar\n\ndata: x\n\n']);
    assert.deepEqual(frames, [{ id: '5', event: 'message', data: 'x' }]);
    assert.deepEqual(retries, [2500]);
  });

  it('does not dispatch a frame until its blank line arrives', () => {
    const { frames } = parse(['data: partial\n']);
    assert.equal(frames.length, 0);
  });
});
