import type { Config } from '../config';
import type { Db } from '../db/database';
import { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
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
  startedAt: number;
}

export function createServices(config: Config, db: Db, log: Logger): Services {
  const hub = new EventHub(config.eventBufferSize);
  const users = new UserService(db);
  const tiers = new TierService(db, hub);
  const projects = new ProjectService(db, tiers, hub, config.runtime);
  return { config, db, log, hub, users, tiers, projects, startedAt: Date.now() };
}
