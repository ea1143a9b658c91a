import assert from 'node:assert/strict';
import { SseDataParser } from '../../../../backend/opencode/sseParser';

function parse(chunks: string[]): string[] {
  const out: string[] = [];
  const p = new SseDataParser((d) => out.push(d));
  for (const c of chunks) p.push(new TextEncoder().encode(c));
  return out;
}

describe('SseDataParser', () => {
  it('yields the data of each event, ignoring comments, ids and event names', () => {
    assert.deepEqual(parse([': hi\n\ndata: {"a":1}\n\nid: 3\nevent: x\ndata: b\n\n']), ['{"a":1}', 'b']);
  });

  it('joins multi-line data and accepts CRLF, also split across chunks', () => {
    assert.deepEqual(parse(['data: one\r', '\ndata:two\r\n', '\r\n', 'data: 3\n', '\n']), ['one\ntwo', '3']);
  });

  it('keeps a partial frame until its blank line arrives, across a split multi-byte character', () => {
    const bytes = new TextEncoder().encode('data: é\n\n');
    const out: string[] = [];
    const p = new SseDataParser((d) => out.push(d));
    p.push(bytes.subarray(0, 7));
    assert.deepEqual(out, []);
    p.push(bytes.subarray(7));
    assert.deepEqual(out, ['é']);
  });
});
