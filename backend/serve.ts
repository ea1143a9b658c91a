import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startServer } from './server';

/**
 * The management API on its configured port until SIGTERM/SIGINT: `hangar-api serve` and
 * `node dist/backend/main.js`. Exits 2 on a bad environment, 1 when it cannot start.
 */
export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hangar-api: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const running = await startServer(config, log).catch((err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'EADDRINUSE'
      ? `port ${config.port} on ${config.host} is already in use; set HANGAR_PORT to another port`
      : e.message;
    process.stderr.write(`hangar-api: cannot start: ${reason}\n`);
    process.exit(1);
  });
  log.info(`Hangar API listening on ${running.url} (runtime: ${config.runtime}, data: ${config.dataDir})`);
  if (running.boot.createdAdmin) {
    log.info(`created the admin user; its API token is in ${running.boot.tokenFile} (mode 0600)`);
  } else {
    log.info(`tokens: the first admin token is in ${running.boot.tokenFile} if it was kept; \`hangar-api token create\` makes another`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    void running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
