import type { CoolifyServerList } from '../contract';
import { conflict } from '../errors';
import type { RuntimeDrivers } from './drivers';

/** The Coolify servers projects are placed on, with their load now (GET /api/runtimes/coolify/servers). */
export async function coolifyServerList(drivers: RuntimeDrivers, signal?: AbortSignal): Promise<CoolifyServerList> {
  const driver = drivers.get('coolify');
  if (!driver?.serverLoads) {
    const why = drivers.problem('coolify');
    throw conflict('runtime_unavailable', `The coolify runtime is not available on this server: ${why}.`);
  }
  return { items: await driver.serverLoads(signal) };
}
