import fs from 'node:fs';
import { abortError, sleep } from '../timing';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_KEEP = 3;

/**
 * The child writes its stdout/stderr straight into `file` (opened O_APPEND), so the file
 * survives the API. Rotation is copy-then-truncate: the child's descriptor keeps appending at
 * the new end. Lines written between the copy and the truncate can be lost; at 5 MB per file
 * that is an accepted trade for never having to signal the child.
 */
export function rotateIfNeeded(file: string, maxBytes = LOG_MAX_BYTES, keep = LOG_KEEP): boolean {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return false;
  }
  if (size <= maxBytes) return false;
  fs.rmSync(`${file}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
  }
  fs.copyFileSync(file, `${file}.1`);
  fs.truncateSync(file, 0);
  return true;
}

/** The last `n` lines across the current file and, when needed, the rotated ones. */
export function tailLines(file: string, n: number): { lines: string[]; truncated: boolean } {
  const collected: string[] = [];
  let more = false;
  for (let i = 0; i <= LOG_KEEP; i++) {
    const f = i === 0 ? file : `${file}.${i}`;
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      if (i === 0) continue;
      break;
    }
    const lines = splitLines(text);
    collected.unshift(...lines);
    if (collected.length >= n) {
      more = collected.length > n || fs.existsSync(`${file}.${i + 1}`);
      break;
    }
  }
  return { lines: collected.slice(-n), truncated: more };
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Calls `onLine` for every line appended to `file` after `from` (bytes) until the signal aborts.
 * Polls (cheap, and works for files another process writes); a shrinking file means it was
 * rotated, and reading restarts at its beginning. Keeps following whoever writes next: a
 * restarted process appends to the same file.
 */
export async function followFile(file: string, from: number, onLine: (line: string) => void, signal: AbortSignal, intervalMs = 200): Promise<void> {
  let pos = from;
  let partial = '';
  const readNew = () => {
    const size = fileSize(file);
    if (size < pos) {
      pos = 0;
      partial = '';
    }
    if (size === pos) return;
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size - pos, 4 * 1024 * 1024));
      const read = fs.readSync(fd, buf, 0, buf.length, pos);
      pos += read;
      const text = partial + buf.subarray(0, read).toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    } finally {
      fs.closeSync(fd);
    }
  };
  while (!signal.aborted) {
    try {
      readNew();
    } catch {
      // the file may be between rotation steps; try again next tick
    }
    await sleep(intervalMs, signal);
  }
}

/** Resolves with the first line after `from` that matches; rejects when `stop()` says so or the signal aborts. */
export async function waitForLine(
  file: string, from: number, pattern: RegExp, opts: { signal: AbortSignal; stop: () => string | undefined; timeoutMs: number },
): Promise<string> {
  const inner = new AbortController();
  const onAbort = () => inner.abort(opts.signal.reason);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  let found: string | undefined;
  const following = followFile(file, from, (line) => {
    if (found === undefined && pattern.test(line)) {
      found = line;
      inner.abort();
    }
  }, inner.signal, 50);
  const deadline = Date.now() + opts.timeoutMs;
  try {
    while (found === undefined) {
      if (opts.signal.aborted) throw abortError(opts.signal);
      const stopped = opts.stop();
      if (stopped !== undefined) {
        // One last read: the line may have been written just before the process exited.
        await sleep(60);
        if (found !== undefined) break;
        throw new Error(stopped);
      }
      if (Date.now() > deadline) throw new Error(`no "${pattern.source}" line within ${Math.round(opts.timeoutMs / 1000)} s`);
      await sleep(25, inner.signal);
    }
    return found;
  } finally {
    inner.abort();
    opts.signal.removeEventListener('abort', onAbort);
    await following;
  }
}
