// A TCP relay that can make a server unreachable and reachable again: down() resets every open
// connection and refuses new ones (each is reset as it arrives) until up(). Used to take PostgreSQL
// away from one replica without stopping the cluster the other tests share.
import net from 'node:net';

export interface TcpOutage {
  /** host:port to connect to instead of the target */
  port: number;
  /** connections refused while down (a client retrying shows here) */
  refused: number;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpOutage(target: { host: string; port: number }): Promise<TcpOutage> {
  const open = new Set<net.Socket>();
  let isDown = false;
  const reset = (s: net.Socket) => s.resetAndDestroy();
  const server = net.createServer((client) => {
    if (isDown) { state.refused++; reset(client); return; }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream);
    upstream.pipe(client);
    for (const s of [client, upstream]) { s.on('error', end); s.on('close', end); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: TcpOutage = {
    port: (server.address() as net.AddressInfo).port,
    refused: 0,
    down() {
      isDown = true;
      for (const s of [...open]) reset(s);
      open.clear();
    },
    up() { isDown = false; },
    async close() {
      this.down();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}
