// One API replica for the fleet benchmark: the product's startServer with the fleet simulator's
// runtime driver injected as `local` (FLEET_SIM_URL names the simulator). Bundled and run by
// test/bench/fleet.ts; the rest of the environment is the API's usual HANGAR_* configuration.
import { loadConfig } from '../../../backend/config';
import { createLogger } from '../../../backend/logger';
import { startServer } from '../../../backend/server';
import { simDriverFactory } from '../../fleet/simDriver';

async function main(): Promise<void> {
  const simUrl = process.env.FLEET_SIM_URL;
  if (!simUrl) throw new Error('FLEET_SIM_URL is not set');
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const running = await startServer(config, log, { factories: { local: simDriverFactory(simUrl) } });
  process.stdout.write(`listening ${running.url}\n`);
  const stop = () => { void running.close().then(() => process.exit(0)); setTimeout(() => process.exit(0), 5000).unref(); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`replica: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
