import { ActivityService } from '../activity/activityService';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { EventHub } from '../events/eventHub';
import { createAgentProxy, type AgentProxy } from '../opencode/agentProxy';
import type { Logger } from '../logger';
import type { RuntimeDriver } from '../runtime/driver';
import { Lifecycle } from '../runtime/lifecycle';
import { createDriver, type DriverFactory } from '../runtime/registry';
import type { SealedSettings } from '../runtime/runtimeSettings';
import { SecretBox } from '../runtime/secretBox';
import { StatusMonitor } from '../runtime/statusMonitor';
import { catalogOptionsFromEnv, CatalogService } from '../providers/catalog';
import { CredentialService } from '../providers/credentials';
import { ProviderInjection } from '../providers/injection';
import { CredentialSync } from '../providers/liveUpdate';
import { ProviderService } from '../providers/providerService';
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
  /** The agent proxy: project → running opencode, and one event relay per project. */
  agent: AgentProxy;
  /** Agent sessions from the opencode plugin's webhook (backend/activity). */
  activity: ActivityService;
  /** Provider credentials (sealed) and custom providers (backend/providers). */
  credentials: CredentialService;
  /** The models.dev catalog joined with each user's configuration, defaults and project overrides. */
  providers: ProviderService;
}

/** `settings`: the sealed runtime_settings rows (loadSealedSettings), e.g. the Coolify token. */
export function createServices(
  config: Config, db: Db, log: Logger, encryptionKey: Buffer,
  factories?: Partial<Record<Config['runtime'], DriverFactory>>, settings: SealedSettings = {},
): Services {
  const hub = new EventHub(config.eventBufferSize);
  const box = new SecretBox(encryptionKey);
  const users = new UserService(db);
  const tiers = new TierService(db, hub);
  const projects = new ProjectService(db, tiers, hub, config.runtime, box);
  const { driver, problem } = createDriver({ config, box, log, settings }, factories);
  const lifecycle = new Lifecycle(driver, problem, projects, tiers, config.healthTimeoutMs, log);
  const operations = new OperationService(db, hub, projects, lifecycle, log);
  const credentials = new CredentialService(db, box, hub);
  // HANGAR_MODELS_URL / HANGAR_MODELS_TTL_S: read here until they join Config.
  const providers = new ProviderService(db, new CatalogService(db, log, catalogOptionsFromEnv(process.env)), credentials, projects);
  const injection = new ProviderInjection(projects, providers, credentials);
  lifecycle.providerEnv = (projectId) => injection.envFor(projectId);
  const sync = new CredentialSync(projects, providers, credentials, log);
  credentials.onChange = (userId, providerId) => sync.providerChanged(userId, providerId);
  lifecycle.afterHealthy = (projectId, agentUrl) => sync.pushProject(projectId, agentUrl);
  const monitor = driver ? new StatusMonitor(driver, projects, (id) => operations.isBusy(id), config.statusPollMs, log) : undefined;
  return { config, db, log, hub, users, tiers, projects, driver, driverProblem: problem, lifecycle, operations, monitor, startedAt: Date.now(), agent: createAgentProxy(config, projects, log), activity: new ActivityService(db, hub, projects, log), credentials, providers };
}
