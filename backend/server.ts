import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { openDatabase } from './db/database';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { bootstrap, type BootstrapResult } from './services/bootstrap';
import { createServices, type Services } from './services/container';
import { loadEncryptionKey } from './security/encryptionKey';

export interface RunningServer {
  url: string;
  services: Services;
  boot: BootstrapResult;
  close(): Promise<void>;
}

/** Opens the database, migrates, seeds, and listens. Used by main.ts and by the tests. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  loadEncryptionKey(config.encryptionKey);
  const db = await openDatabase(config.database);
  const services = createServices(config, db, log);
  const boot = await bootstrap(config.dataDir, services.users, services.tiers);
  const app = createApp(services);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    services,
    boot,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams never end on their own: end them so close() returns.
        for (const s of sockets) s.destroy();
      });
      await db.destroy();
    },
  };
}
