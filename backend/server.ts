import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { openDatabase } from './db/database';
import { createApp } from './http/app';
import { startWebhookTarget } from './activity/webhookTarget';
import type { Logger } from './logger';
import { bootstrap, type BootstrapResult } from './services/bootstrap';
import { createServices, type Services, type StartupState } from './compositionRoot';
import { loadEncryptionKey } from './security/encryptionKey';
import { ensurePrivateDir } from './security/dataDirMode';
import { reconcile, type ReconcileReport } from './runtime/reconcile';
import { loadSealedSettings } from './runtime/runtimeSettings';
import { rotateEncryptionKey } from './providers/keyRotation';
import { createBackgroundJobs } from './jobs/serviceJobs';
import type { BackgroundJobs } from './jobs/backgroundJobs';

export interface RunningServer {
  url: string;
  services: Services;
  boot: BootstrapResult;
  /** What the start-up reconciliation found; `settled` resolves when its health checks end. */
  reconciled: ReconcileReport;
  /** The background jobs and which of them this replica runs (backend/jobs). */
  jobs: BackgroundJobs;
  close(): Promise<void>;
}

/**
 * Opens the database, migrates, seeds, and listens. Used by main.ts and by the tests; `factories`
 * replaces runtime drivers (a test or benchmark entry point injects its own, e.g. the fleet simulator's).
 */
export async function startServer(config: Config, log: Logger, inject: Pick<StartupState, 'factories'> = {}): Promise<RunningServer> {
  ensurePrivateDir(config.dataDir);
  const key = loadEncryptionKey(config.encryptionKey);
  const db = await openDatabase(config.database);
  if (config.previousEncryptionKey) {
    // HANGAR_ENCRYPTION_KEY_PREVIOUS: move every value still sealed with the old key to the current one.
    const rotated = await rotateEncryptionKey(db, Buffer.from(config.previousEncryptionKey, 'base64'), key, path.join(config.dataDir, 'projects'));
    log.info('encryption key rotation at start', { rotated: rotated.rotated, alreadyCurrent: rotated.alreadyCurrent, files: rotated.files });
  }
  // Projects keep the runtime they were deployed on: those drivers run whatever HANGAR_RUNTIME says now.
  const inUse = (await db.selectFrom('projects').select('runtime').distinct().execute()).map((r) => r.runtime);
  const services = createServices(config, db, log, key, { settings: await loadSealedSettings(db), runtimesInUse: inUse, factories: inject.factories });
  await services.hub.start();
  const boot = await bootstrap(config.dataDir, services.users, services.tiers);
  // Before the first request: nothing may act on state the last process left half-done.
  // SQLite is one process: whatever it left open is dead. On PostgreSQL a live replica renews its operations.
  const staleBefore = config.database.kind === 'postgres' ? Date.now() - services.leases.times.leaseMs : undefined;
  const reconciled = await reconcile({
    db, drivers: services.drivers, projects: services.projects, log, healthTimeoutMs: config.healthTimeoutMs, staleBefore,
  });
  if (reconciled.interruptedOperations || reconciled.orphansRemoved.length) {
    log.info('reconciled with the runtime', { interruptedOperations: reconciled.interruptedOperations, orphansRemoved: reconciled.orphansRemoved.length });
  }
  services.leases.start();
  const jobs = createBackgroundJobs(services);
  await jobs.start();
  const app = createApp(services);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  // Websocket upgrades never pass through Koa: the VNC bridge checks its ticket on the raw request.
  server.on('upgrade', (req, socket, head) => {
    if (services.vnc.handles(req)) services.vnc.upgrade(req, socket, head);
    else if (server.listenerCount('upgrade') === 1) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const loopback = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : host;
  // Where agents post session events (backend/activity/webhookTarget.ts): per runtime, or HANGAR_WEBHOOK_URL.
  // One per runtime: local agents reach the API on loopback, containers through docker's bridge.
  const webhookTargets = await Promise.all(services.drivers.all().map(async (driver) => {
    const target = await startWebhookTarget({ config: { ...config, runtime: driver.name }, driver, port, loopbackUrl: `http://${loopback}:${port}`, log, handler: app.callback() });
    if (target.apiUrl) services.agentApiUrls.record(driver.name, target.apiUrl);
    return target;
  }));
  const webhookTarget = { close: async () => { await Promise.all(webhookTargets.map((t) => t.close())); } };
  return {
    url: `http://${host}:${port}`,
    services,
    boot,
    reconciled,
    jobs,
    async close() {
      await jobs.stop();
      await services.oauth.device.shutdown();
      await webhookTarget.close();
      await services.operations.shutdown();
      await services.leases.stop();
      await reconciled.settled;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams never end on their own: end them so close() returns.
        for (const s of sockets) s.destroy();
      });
      services.vnc.close();
      await services.agent.relays.close();
      services.agent.connections.close();
      await services.hub.close();
      await services.drivers.close();
      await db.destroy();
    },
  };
}
