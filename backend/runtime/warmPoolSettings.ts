import type { Db } from '../db/database';
import { conflict } from '../errors';
import type { RuntimeDrivers, RuntimeName } from './drivers';
import { setRuntimeSecret } from './runtimeSettings';
import type { SecretBox } from './secretBox';

export interface WarmPoolState {
  runtime: RuntimeName;
  size: number;
  ready: number;
  starting: number;
}

/**
 * The warm pool's size as an API setting: applied to the running driver at once and kept in
 * runtime_settings, where it wins over HANGAR_WARM_POOL_LOCAL at the next start. Only the local
 * runtime has a pool so far.
 */
export class WarmPoolSettings {
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly drivers: RuntimeDrivers) {}

  state(runtime: RuntimeName): WarmPoolState {
    const driver = this.drivers.get(runtime);
    if (!driver) {
      const why = this.drivers.problem(runtime);
      throw conflict('runtime_unavailable', `The ${runtime} runtime is not available on this server: ${why}.`);
    }
    if (!driver.warmPoolState) {
      const why = 'only the local runtime keeps agents started ahead of time';
      throw conflict('warm_pool_unsupported', `The ${runtime} runtime has no warm pool: ${why}.`);
    }
    return { runtime, ...driver.warmPoolState() };
  }

  async resize(runtime: RuntimeName, size: number): Promise<WarmPoolState> {
    this.state(runtime);
    const driver = this.drivers.require(runtime);
    await driver.resizeWarmPool!(size);
    await setRuntimeSecret(this.db, this.box, 'localWarmPool', String(size));
    return this.state(runtime);
  }
}
