import type { Config } from '../config';
import type { Db } from '../db/database';
import { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { RuntimeDriver } from '../runtime/driver';
import { Lifecycle } from '../runtime/lifecycle';
import { createDriver, type DriverFactory } from '../runtime/registry';
import { SecretBox } from '../runtime/secretBox';
import { StatusMonitor } from '../runtime/statusMonitor';
import { OperationService } from './operations';
import { ProjectService } from './projects';
import { TierService } from './tiers';
import { UserService } from './users';

/** The composition root of the API: everything a route may use. */
export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  hub: EventHub;
  users: UserService;
  tiers: TierService;
  projects: ProjectService;
  /** The runtime this server deploys to; undefined when it could not be built (see driverProblem). */
  driver: RuntimeDriver | undefined;
  driverProblem: string | undefined;
  lifecycle: Lifecycle;
  operations: OperationService;
  monitor: StatusMonitor | undefined;
  startedAt: number;
}

export function createServices(config: Config, db: Db, log: Logger, encryptionKey: Buffer, factories?: Partial<Record<Config['runtime'], DriverFactory>>): Services {
  const hub = new EventHub(config.eventBufferSize);
  const box = new SecretBox(encryptionKey);
  const users = new UserService(db);
  const tiers = new TierService(db, hub);
  const projects = new ProjectService(db, tiers, hub, config.runtime, box);
  const { driver, problem } = createDriver({ config, box, log }, factories);
  const lifecycle = new Lifecycle(driver, problem, projects, tiers, config.healthTimeoutMs, log);
  const operations = new OperationService(db, hub, projects, lifecycle, log);
  const monitor = driver ? new StatusMonitor(driver, projects, (id) => operations.isBusy(id), config.statusPollMs, log) : undefined;
  return { config, db, log, hub, users, tiers, projects, driver, driverProblem: problem, lifecycle, operations, monitor, startedAt: Date.now() };
}
