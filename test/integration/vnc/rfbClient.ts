// A minimal RFB 3.8 client (security "None", raw encoding, 32-bit true colour) over a websocket or a
// TCP socket: enough to prove the bridge carries a real VNC session and to measure it (test/bench/vnc.ts).
import net from 'node:net';
import WebSocket from 'ws';

/** A byte stream with "read exactly n bytes", whichever transport carries it. */
export interface ByteChannel {
  write(data: Buffer): void;
  read(n: number): Promise<Buffer>;
  close(): void;
}

class Reader {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failed: Error | undefined;

  push(data: Buffer): void {
    this.chunks.push(data);
    this.length += data.length;
    this.pump();
  }

  fail(err: Error): void {
    this.failed = err;
    if (this.waiter) {
      this.waiter.reject(err);
      this.waiter = undefined;
    }
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.pump();
    });
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.length >= w.n) {
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = all.length > w.n ? [all.subarray(w.n)] : [];
      this.length = all.length - w.n;
      this.waiter = undefined;
      w.resolve(all.subarray(0, w.n));
    } else if (this.failed) {
      this.waiter = undefined;
      w.reject(this.failed);
    }
  }
}

export function tcpChannel(port: number, host = '127.0.0.1'): Promise<ByteChannel> {
  return new Promise((resolve, reject) => {
    const reader = new Reader();
    const socket = net.connect({ host, port }, () => resolve({
      write: (d) => void socket.write(d),
      read: (n) => reader.read(n),
      close: () => socket.destroy(),
    }));
    socket.setNoDelay(true);
    socket.on('data', (d) => reader.push(d));
    socket.on('error', (e) => { reader.fail(e); reject(e); });
    socket.on('close', () => reader.fail(new Error('tcp closed')));
  });
}

/** An open websocket as a byte channel (`closed` settles with the close code). */
export function wsChannel(ws: WebSocket): ByteChannel & { closed: Promise<{ code: number; reason: string }> } {
  const reader = new Reader();
  ws.binaryType = 'nodebuffer';
  ws.on('message', (d: Buffer) => reader.push(d));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => {
    reader.fail(new Error(`websocket closed (${code})`));
    resolve({ code, reason: reason.toString() });
  }));
  return { write: (d) => ws.send(d), read: (n) => reader.read(n), close: () => ws.close(), closed };
}

/** The outcome of a websocket attempt: open, or the HTTP refusal the server answered the upgrade with. */
export type WsAttempt =
  | { open: true; ws: WebSocket }
  | { open: false; status: number; body: { error?: { code: string; message: string } } };

export function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<WsAttempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['binary'], { headers, perMessageDeflate: false });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ open: false, status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    ws.once('error', (e) => reject(e));
  });
}

export interface ServerInit {
  version: string;
  width: number;
  height: number;
  name: string;
}

/** Version, security None, ClientInit (shared), ServerInit; then 32-bit BGRX pixels, raw encoding only. */
export async function handshake(ch: ByteChannel): Promise<ServerInit> {
  const version = (await ch.read(12)).toString('latin1');
  if (!/^RFB 003\.00[38]\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  ch.write(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await ch.read(1))[0]!;
  if (count === 0) throw new Error('the server refused the connection');
  const types = [...(await ch.read(count))];
  if (!types.includes(1)) throw new Error(`the server wants a password (security types ${types.join(',')})`);
  ch.write(Buffer.from([1]));
  const result = (await ch.read(4)).readUInt32BE(0);
  if (result !== 0) throw new Error(`security handshake failed (${result})`);
  ch.write(Buffer.from([1]));
  const init = await ch.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const name = (await ch.read(init.readUInt32BE(20))).toString('utf8');
  const fmt = Buffer.alloc(20);
  fmt[0] = 0; // SetPixelFormat
  fmt.set([32, 24, 0, 1], 4); // bpp, depth, big-endian: no, true colour
  fmt.writeUInt16BE(255, 8); fmt.writeUInt16BE(255, 10); fmt.writeUInt16BE(255, 12);
  fmt.set([16, 8, 0], 14); // red, green, blue shifts
  ch.write(fmt);
  const enc = Buffer.alloc(8);
  enc[0] = 2; // SetEncodings
  enc.writeUInt16BE(1, 2);
  enc.writeInt32BE(0, 4); // raw
  ch.write(enc);
  return { version: version.trim(), width, height, name };
}

export function requestUpdate(ch: ByteChannel, width: number, height: number, incremental = false): void {
  const m = Buffer.alloc(10);
  m[0] = 3;
  m[1] = incremental ? 1 : 0;
  m.writeUInt16BE(width, 6);
  m.writeUInt16BE(height, 8);
  ch.write(m);
}

export interface Frame {
  /** Raw BGRX pixels of the whole screen (only the updated rectangles are filled). */
  pixels: Buffer;
  bytes: number;
}

/**
 * Reads server messages until one FramebufferUpdate has arrived (skipping bells, cut text and
 * colour maps), painting its rectangles into `into`.
 */
export async function readUpdate(ch: ByteChannel, width: number, into: Buffer): Promise<number> {
  for (;;) {
    const type = (await ch.read(1))[0]!;
    if (type === 2) continue; // bell
    if (type === 3) {
      const head = await ch.read(7);
      await ch.read(head.readUInt32BE(3));
      continue;
    }
    if (type === 1) {
      const head = await ch.read(5);
      await ch.read(head.readUInt16BE(3) * 6);
      continue;
    }
    if (type !== 0) throw new Error(`unexpected server message ${type}`);
    const rects = (await ch.read(3)).readUInt16BE(1);
    let bytes = 0;
    for (let i = 0; i < rects; i++) {
      const r = await ch.read(12);
      const [x, y, w, h, enc] = [r.readUInt16BE(0), r.readUInt16BE(2), r.readUInt16BE(4), r.readUInt16BE(6), r.readInt32BE(8)];
      if (enc === -223 || enc === -239) continue; // DesktopSize / Cursor pseudo-encodings carry no (raw) pixels here
      if (enc !== 0) throw new Error(`unexpected encoding ${enc}`);
      const data = await ch.read(w * h * 4);
      bytes += data.length;
      for (let row = 0; row < h; row++) data.copy(into, ((y + row) * width + x) * 4, row * w * 4, (row + 1) * w * 4);
    }
    return bytes;
  }
}

/** The colour at (x, y) of a BGRX frame as #rrggbb. */
export function pixelAt(pixels: Buffer, width: number, x: number, y: number): string {
  const o = (y * width + x) * 4;
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `#${hex(pixels[o + 2]!)}${hex(pixels[o + 1]!)}${hex(pixels[o]!)}`;
}
