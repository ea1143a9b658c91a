import type { Readable } from 'node:stream';

/**
 * Splits docker's multiplexed stream format (8-byte header: stream type, 3 zero bytes, big-endian
 * length) into stdout and stderr frames, for logs and exec of containers without a TTY.
 */
export function demuxStream(stream: Readable | NodeJS.ReadableStream, onChunk: (kind: 'stdout' | 'stderr', data: Buffer) => void): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    stream.on('data', (data: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      while (pending.length >= 8) {
        const len = pending.readUInt32BE(4);
        if (pending.length < 8 + len) break;
        onChunk(pending[0] === 2 ? 'stderr' : 'stdout', pending.subarray(8, 8 + len));
        pending = pending.subarray(8 + len);
      }
    });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', (e: Error) => reject(e));
  });
}

/** Turns chunks into whole lines (per source, so stdout and stderr never mix inside a line). */
export function lineSplitter(onLine: (line: string) => void) {
  const partial: Record<string, string> = {};
  return {
    push(kind: string, data: Buffer | string) {
      const text = (partial[kind] ?? '') + data.toString();
      const lines = text.split('\n');
      partial[kind] = lines.pop() ?? '';
      for (const l of lines) onLine(l.replace(/\r$/, ''));
    },
    flush() {
      for (const k of Object.keys(partial)) if (partial[k]) onLine(partial[k]!);
      for (const k of Object.keys(partial)) delete partial[k];
    },
  };
}

/** Reads a newline-delimited JSON stream (docker events) and calls onObject for each entry. */
export function jsonLines<T>(stream: NodeJS.ReadableStream, onObject: (obj: T) => void): void {
  let buffer = '';
  stream.on('data', (data: Buffer) => {
    buffer += data.toString();
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
      if (!line) continue;
      try { onObject(JSON.parse(line) as T); } catch { /* a partial or foreign line: skip */ }
    }
  });
}
