import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorBody, ErrorCode } from '../contract';

/** Why a VNC websocket upgrade was refused: sent as a plain HTTP answer on the upgrade request. */
export class VncRefusal extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'VncRefusal';
  }
}

/**
 * Answers an upgrade request with an HTTP error and the API's one error shape, then closes. The
 * socket has seen no websocket handshake, so a browser reports a failed connection at once (never a
 * socket left hanging).
 */
export function refuseUpgrade(socket: Duplex, refusal: VncRefusal): void {
  const body: ApiErrorBody = { error: { code: refusal.code, message: refusal.message } };
  const json = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'Cache-Control: no-store',
    'Connection: close',
    ...(refusal.status === 401 ? ['WWW-Authenticate: Bearer realm="hangar"'] : []),
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`${head.join('\r\n')}\r\n\r\n${json}`);
  // A client that never reads must not keep the socket: give it a moment, then cut it.
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  (socket as Socket).once('close', () => clearTimeout(timer));
}
