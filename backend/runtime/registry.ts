import type { Config } from '../config';
import type { Logger } from '../logger';
import type { RuntimeDriver } from './driver';
import { coolifyDriverFactory } from './coolify';
import { dockerDriverFactory } from './docker';
import { LocalDriver } from './local/localDriver';
import type { SealedSettings } from './runtimeSettings';
import type { SecretBox } from './secretBox';

export interface DriverContext {
  config: Config;
  box: SecretBox;
  log: Logger;
  /** Runtime secrets from the database (runtime_settings), still sealed; read at start-up. */
  settings?: SealedSettings;
}

export type DriverFactory = (ctx: DriverContext) => RuntimeDriver;

/** One factory per runtime name; docker and coolify register theirs here. */
export const driverFactories: Partial<Record<Config['runtime'], DriverFactory>> = {
  local: ({ config, box, log }) => new LocalDriver({ dataDir: config.dataDir, box, log, opencodeBin: config.opencodeBin }),
  docker: (ctx) => dockerDriverFactory(ctx),
  coolify: (ctx) => coolifyDriverFactory(ctx),
};

/**
 * The driver this server runs projects on (HANGAR_RUNTIME). When it cannot be built the API
 * still starts, and every container action fails with `problem` instead.
 */
export function createDriver(ctx: DriverContext, factories = driverFactories): { driver?: RuntimeDriver; problem?: string } {
  const factory = factories[ctx.config.runtime];
  if (!factory) return { problem: `the ${ctx.config.runtime} runtime has no driver in this build` };
  try {
    return { driver: factory(ctx) };
  } catch (err) {
    const problem = `the ${ctx.config.runtime} runtime is unavailable: ${err instanceof Error ? err.message : String(err)}`;
    ctx.log.error(problem);
    return { problem };
  }
}
