import net from 'node:net';
import WebSocket from 'ws';
import { VncRefusal } from './refusal';

/** The project's VNC server as the API reaches it: raw RFB over TCP, or a websockify endpoint. */
export type VncTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string }
  | { kind: 'ws'; url: string };

/** `unix:/path/vnc.sock` (local runtime: x11vnc's private socket), `tcp://host:port`, or `ws(s)://…` (websockify on 6080 in a container). */
export function parseVncUrl(vncUrl: string): VncTarget {
  if (vncUrl.startsWith('unix:')) {
    const p = vncUrl.slice('unix:'.length);
    if (!p.startsWith('/')) throw new Error(`VNC URL ${vncUrl} has no absolute socket path`);
    return { kind: 'unix', path: p };
  }
  const u = new URL(vncUrl);
  if (u.protocol === 'tcp:') {
    const port = Number(u.port);
    if (!Number.isInteger(port) || port <= 0) throw new Error(`VNC URL ${vncUrl} has no port`);
    return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port };
  }
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return { kind: 'ws', url: u.toString() };
  throw new Error(`unsupported VNC URL scheme ${u.protocol}`);
}

/** One open connection to the VNC server, message-oriented whichever transport it is. */
export interface Upstream {
  send(data: Buffer): boolean;
  onData(listener: (data: Buffer) => void): void;
  onClose(listener: (why: string) => void): void;
  /** Flow control: stop reading while the browser side is backed up. */
  pause(): void;
  resume(): void;
  /** Registered when send() returned false. */
  onDrain(listener: () => void): void;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 5000;

/** Opens the upstream before the browser's websocket is accepted; a failure becomes a 502 refusal. */
export async function connectUpstream(target: VncTarget): Promise<Upstream> {
  if (target.kind === 'ws') return connectWs(target.url);
  return connectSocket(target.kind === 'tcp' ? { host: target.host, port: target.port } : { path: target.path });
}

function unreachable(detail: string): VncRefusal {
  return new VncRefusal(502, 'vnc_unreachable', `The project's VNC server does not answer (${detail}). Restart the project, then open the desktop again.`);
}

function connectSocket(where: { host: string; port: number } | { path: string }): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(where);
    if ('port' in where) socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unreachable(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(unreachable((err as NodeJS.ErrnoException).code ?? err.message));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({
        send: (data) => socket.write(data),
        onData: (l) => socket.on('data', l),
        onClose: (l) => {
          socket.on('error', (e) => l(`VNC connection error: ${e.message}`));
          socket.on('close', () => l('the VNC server closed the connection'));
        },
        pause: () => socket.pause(),
        resume: () => socket.resume(),
        onDrain: (l) => socket.once('drain', l),
        close: () => socket.destroy(),
      });
    });
  });
}

function connectWs(url: string): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['binary'], { handshakeTimeout: CONNECT_TIMEOUT_MS, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('error', (err) => reject(unreachable(err.message)));
    ws.once('open', () => {
      ws.removeAllListeners('error');
      resolve({
        send: (data) => {
          ws.send(data);
          return ws.bufferedAmount < HIGH_WATER;
        },
        onData: (l) => ws.on('message', (d) => l(toBuffer(d))),
        onClose: (l) => {
          ws.on('error', (e) => l(`VNC websocket error: ${e.message}`));
          ws.on('close', () => l('the VNC websocket closed'));
        },
        pause: () => ws.pause(),
        resume: () => ws.resume(),
        onDrain: (l) => waitForDrain(ws, l),
        close: () => ws.terminate(),
      });
    });
  });
}

export const HIGH_WATER = 4 * 1024 * 1024;

export function toBuffer(d: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(d)) return d;
  if (Array.isArray(d)) return Buffer.concat(d);
  return Buffer.from(d);
}

/** ws has no drain event: poll its buffer while backed up (rare: only a stalled peer). */
export function waitForDrain(ws: WebSocket, then: () => void): void {
  const tick = () => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount < HIGH_WATER / 4) then();
    else setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
}
