import { ConfigError, type EnvSection } from '../../config';
import type { DriverContext } from '../driver';
import { openRuntimeSecret } from '../runtimeSettings';
import { CoolifyDriver } from './coolifyDriver';
import { loadCoolifyConfig } from './config';

export { CoolifyDriver, type CoolifyDriverOptions } from './coolifyDriver';
export { loadCoolifyConfig, type CoolifyConfig } from './config';
export { CoolifyError } from './errors';

/**
 * For backend/runtime/registry.ts (`coolify: coolifyDriverFactory`). Parses HANGAR_COOLIFY_* (read
 * once by backend/config.ts) when the coolify runtime is selected; a bad or missing one throws a one-line ConfigError naming it,
 * which createDriver() turns into the runtime's `problem`.
 *
 * The API token comes from the database first (`hangar-api coolify set-token`, stored sealed by
 * SecretBox with the context runtime:coolify:token), then from HANGAR_COOLIFY_TOKEN: that variable
 * is for containers and CI that inject secrets as environment.
 */
export function coolifyDriverFactory(ctx: DriverContext, env: EnvSection = ctx.config.runtimeEnv.coolify): CoolifyDriver {
  const { log, box, settings, agentPassword } = ctx;
  let stored: string | undefined;
  try {
    stored = settings && box ? openRuntimeSecret(box, settings, 'coolifyToken') : undefined;
  } catch (err) {
    throw new ConfigError(`the Coolify token stored with \`hangar-api coolify set-token\` cannot be read (${err instanceof Error ? err.message : String(err)}); store it again or run \`hangar-api coolify clear-token\``);
  }
  const config = loadCoolifyConfig(env, stored !== undefined ? { token: stored } : {});
  return new CoolifyDriver(config, { logger: log, ...(agentPassword ? { agentPassword } : {}) });
}
