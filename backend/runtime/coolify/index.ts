import { ConfigError } from '../../config';
import type { DriverContext } from '../registry';
import { openRuntimeSecret } from '../runtimeSettings';
import { CoolifyDriver } from './coolifyDriver';
import { loadCoolifyConfig } from './config';

export { CoolifyDriver, type CoolifyDriverOptions } from './coolifyDriver';
export { loadCoolifyConfig, type CoolifyConfig } from './config';
export { CoolifyError } from './errors';

/**
 * For backend/runtime/registry.ts (`coolify: coolifyDriverFactory`). Reads HANGAR_COOLIFY_* when
 * the coolify runtime is selected; a bad or missing one throws a one-line ConfigError naming it,
 * which createDriver() turns into the runtime's `problem`.
 *
 * The API token comes from the database first (`hangar-api coolify set-token`, stored sealed by
 * SecretBox with the context runtime:coolify:token), then from HANGAR_COOLIFY_TOKEN: that variable
 * is for containers and CI that inject secrets as environment.
 */
export function coolifyDriverFactory({ log, box, settings }: DriverContext, env: NodeJS.ProcessEnv = process.env): CoolifyDriver {
  let stored: string | undefined;
  try {
    stored = settings && box ? openRuntimeSecret(box, settings, 'coolifyToken') : undefined;
  } catch (err) {
    throw new ConfigError(`the Coolify token stored with \`hangar-api coolify set-token\` cannot be read (${err instanceof Error ? err.message : String(err)}); store it again or run \`hangar-api coolify clear-token\``);
  }
  return new CoolifyDriver(loadCoolifyConfig(env, stored !== undefined ? { token: stored } : {}), { logger: log });
}
