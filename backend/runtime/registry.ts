import type { Config } from '../config';
import type { DriverContext, DriverFactory, RuntimeDriver } from './driver';
import { coolifyDriverFactory } from './coolify';
import { dockerDriverFactory } from './docker';
import { LocalDriver } from './local/localDriver';
import { openRuntimeSecret, RUNTIME_SETTINGS } from './runtimeSettings';
import { RuntimeDrivers, type RuntimeName } from './drivers';
import { resolveSandbox } from './local/sandbox';
import { BASE_AGENT_CONFIG } from '../providers/injection';

export type { DriverContext, DriverFactory } from './driver';

/** One factory per runtime name; docker and coolify register theirs here. */
export const driverFactories: Partial<Record<Config['runtime'], DriverFactory>> = {
  local: ({ config, box, log, settings }) => new LocalDriver({
    dataDir: config.dataDir, box, log, opencodeBin: config.opencodeBin,
    // PATH and CI are the host's, not configuration: where bwrap is, and whether a fallback is allowed.
    sandbox: resolveSandbox({ PATH: process.env.PATH, CI: process.env.CI, HANGAR_LOCAL_SANDBOX: config.localSandbox },
      log),
    // A pooled agent starts with what every agent starts with; the project's part is bound at claim.
    warmPool: { size: Number(openRuntimeSecret(box, settings, 'localWarmPool') ?? config.warmPool.local), env: { OPENCODE_CONFIG_CONTENT: JSON.stringify(BASE_AGENT_CONFIG) } },
  }),
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

/**
 * Which runtimes to build besides local: the default (HANGAR_RUNTIME), docker when an engine is
 * configured (DOCKER_HOST), coolify when configured (HANGAR_COOLIFY_URL or a stored token), and
 * any runtime a project was deployed on, so switching HANGAR_RUNTIME strands nothing.
 */
export function wantedRuntimes(ctx: DriverContext, inUse: readonly string[]): RuntimeName[] {
  const { docker, coolify } = ctx.config.runtimeEnv;
  const want = new Set<RuntimeName>(['local', ctx.config.runtime]);
  if (docker.DOCKER_HOST) want.add('docker');
  if (coolify.HANGAR_COOLIFY_URL || ctx.settings?.[RUNTIME_SETTINGS.coolifyToken.key] !== undefined) want.add('coolify');
  for (const r of inUse) if (r === 'local' || r === 'docker' || r === 'coolify') want.add(r);
  return [...want];
}

/** Every wanted runtime's driver; one that cannot be built is left out with its problem. */
export function createDrivers(ctx: DriverContext, inUse: readonly string[] = [], factories = driverFactories): RuntimeDrivers {
  const drivers = new Map<RuntimeName, RuntimeDriver>();
  const problems = new Map<RuntimeName, string>();
  for (const name of wantedRuntimes(ctx, inUse)) {
    const built = createDriver({ ...ctx, config: { ...ctx.config, runtime: name } }, factories);
    if (built.driver) drivers.set(name, built.driver);
    else problems.set(name, built.problem ?? `the ${name} runtime is unavailable`);
  }
  return new RuntimeDrivers(ctx.config.runtime, drivers, problems);
}
