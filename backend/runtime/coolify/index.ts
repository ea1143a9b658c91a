import type { DriverContext } from '../registry';
import { CoolifyDriver } from './coolifyDriver';
import { loadCoolifyConfig } from './config';

export { CoolifyDriver, type CoolifyDriverOptions } from './coolifyDriver';
export { loadCoolifyConfig, type CoolifyConfig } from './config';
export { CoolifyError } from './errors';

/**
 * For backend/runtime/registry.ts (`coolify: coolifyDriverFactory`). Reads HANGAR_COOLIFY_* when
 * the coolify runtime is selected; a bad or missing one throws a one-line ConfigError naming it,
 * which createDriver() turns into the runtime's `problem`.
 */
export function coolifyDriverFactory({ log }: DriverContext, env: NodeJS.ProcessEnv = process.env): CoolifyDriver {
  return new CoolifyDriver(loadCoolifyConfig(env), { logger: log });
}
