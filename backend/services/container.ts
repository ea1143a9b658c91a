import { ActivityService } from '../activity/activityService';
import { NotificationWebhooks } from '../activity/notificationWebhooks';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { EventHub } from '../events/eventHub';
import { createAgentProxy, type AgentProxy } from '../opencode/agentProxy';
import type { Logger } from '../logger';
import type { RuntimeDriver } from '../runtime/driver';
import { Lifecycle } from '../runtime/lifecycle';
import { createDrivers, type DriverFactory } from '../runtime/registry';
import type { RuntimeDrivers } from '../runtime/drivers';
import { CoolifyDriver } from '../runtime/coolify/coolifyDriver';
import type { SealedSettings } from '../runtime/runtimeSettings';
import { SecretBox } from '../runtime/secretBox';
import { StatusMonitor } from '../runtime/statusMonitor';
import { CatalogService } from '../providers/catalog';
import { CredentialService } from '../providers/credentials';
import { ProviderInjection } from '../providers/injection';
import { CredentialSync } from '../providers/liveUpdate';
import { ProviderService } from '../providers/providerService';
import { ConnectionTester } from '../providers/connectionTest';
import { DeviceFlowService } from '../oauth/deviceFlow';
import { pruneOAuthFlows, RedirectFlowService } from '../oauth/redirectFlow';
import { OAuthRefresher } from '../oauth/refreshScheduler';
import { OperationService } from './operations';
import { ProjectService } from './projects';
import { PrivateHostGuard } from '../providers/urlGuard';
import { PerUserSlots } from '../security/perUserSlots';
import { TierService } from './tiers';
import { UserService } from './users';
import { VncGateway } from '../vnc/vncGateway';
import { GithubCredentials } from '../sync/githubCredentials';
import { SyncService, syncOptionsFromEnv } from '../sync/syncService';
import fs from 'node:fs';
import { createSettings, type SettingsServices } from '../settings/settingsServices';

/** The composition root of the API: everything a route may use. */
/** Event streams one user may hold open at once (each window follows /api/events plus one per open chat). */
export const MAX_STREAMS_PER_USER = 32;

export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  hub: EventHub;
  users: UserService;
  tiers: TierService;
  projects: ProjectService;
  /** The default runtime (HANGAR_RUNTIME) new projects go to; undefined when it could not be built (see driverProblem). */
  driver: RuntimeDriver | undefined;
  driverProblem: string | undefined;
  /** Every runtime this API drives; each project is driven by its own (projects.runtime). */
  drivers: RuntimeDrivers;
  lifecycle: Lifecycle;
  operations: OperationService;
  monitor: StatusMonitor;
  startedAt: number;
  /** The agent proxy: project → running opencode, and one event relay per project. */
  agent: AgentProxy;
  /** Agent sessions from the opencode plugin's webhook (backend/activity). */
  activity: ActivityService;
  /** Outgoing notification webhooks and their delivery log (backend/activity/notificationWebhooks.ts). */
  notifications: NotificationWebhooks;
  /** Provider credentials (sealed) and custom providers (backend/providers). */
  credentials: CredentialService;
  /** The models.dev catalog joined with each user's configuration, defaults and project overrides. */
  providers: ProviderService;
  /** Test Provider Connection (backend/providers/connectionTest.ts). */
  connectionTester: ConnectionTester;
  /** Refuses provider URLs on loopback/private networks unless HANGAR_ALLOW_PRIVATE_HOSTS allows them. */
  urlGuard: PrivateHostGuard;
  /** Open event streams per user (/api/events and every agent event stream together). */
  streams: PerUserSlots;
  /** Provider sign-in (backend/oauth): device flow, redirect + PKCE, and the refresh scheduler (started by server.ts). */
  oauth: { device: DeviceFlowService; redirect: RedirectFlowService; refresher: OAuthRefresher };
  /** The desktop tier's VNC tickets and websocket bridge (backend/vnc). */
  vnc: VncGateway;
  /** GitHub sync of project workspaces (backend/sync). */
  sync: SyncService;
  /** Each user's GitHub token, sealed (backend/sync/githubCredentials.ts). */
  github: GithubCredentials;
  /** Server-side user settings, OpenCode permissions, export/import (backend/settings). */
  settings: SettingsServices;
}

/** `settings`: the sealed runtime_settings rows (loadSealedSettings), e.g. the Coolify token. */
export function createServices(
  config: Config, db: Db, log: Logger, encryptionKey: Buffer,
  factories?: Partial<Record<Config['runtime'], DriverFactory>>, settings: SealedSettings = {},
  /** Runtimes existing projects were deployed on: their drivers are built whatever HANGAR_RUNTIME says. */
  runtimesInUse: readonly string[] = [],
): Services {
  const hub = new EventHub(config.eventBufferSize);
  const box = new SecretBox(encryptionKey);
  const users = new UserService(db);
  const tiers = new TierService(db, hub);
  const projects = new ProjectService(db, tiers, hub, config.runtime, box);
  const drivers = createDrivers({ config, box, log, settings }, runtimesInUse, factories);
  const driver = drivers.default;
  const problem = driver ? undefined : drivers.problem(config.runtime);
  // Coolify cannot exec: its driver runs commands through the agent's opencode, with the project's password.
  for (const d of drivers.all()) if (d instanceof CoolifyDriver) d.setAgentPassword(async (id) => (await projects.secrets(id)).opencodePassword);
  const lifecycle = new Lifecycle(drivers, projects, tiers, config.healthTimeoutMs, log);
  const operations = new OperationService(db, hub, projects, lifecycle, log);
  const credentials = new CredentialService(db, box, hub);
  const providers = new ProviderService(db, new CatalogService(db, log, config.models), credentials, projects, config.oauth.redirectProviders);
  const oauth = {
    device: new DeviceFlowService(db, box, credentials, log, {
      oauthBaseUrl: config.oauth.githubOAuthUrl, clientId: config.oauth.copilotClientId, enterpriseHost: config.oauth.githubEnterpriseHost,
    }),
    redirect: new RedirectFlowService(db, box, credentials, log, config.oauth.redirectProviders),
    refresher: new OAuthRefresher(credentials, config.oauth.redirectProviders, log, { leadMs: config.oauth.refreshLeadMs, pollMs: config.oauth.refreshPollMs }),
  };
  oauth.refresher.housekeeping = () => pruneOAuthFlows(db, Date.now());
  const injection = new ProviderInjection(projects, providers, credentials);
  lifecycle.providerEnv = () => injection.envFor();
  const sync = new CredentialSync(projects, providers, credentials, injection, hub, log);
  credentials.onChange = (userId, providerId) => sync.providerChanged(userId, providerId);
  providers.onModelChange = (userId, projectId) => projectId ? sync.projectChanged(userId, projectId) : sync.defaultChanged(userId);
  lifecycle.afterHealthy = (projectId, agentUrl) => sync.pushProject(projectId, agentUrl);
  const monitor = new StatusMonitor(drivers, projects, (id) => operations.isBusy(id), config.statusPollMs, log);
  const notifications = new NotificationWebhooks(db, box, log, { retryBaseMs: config.notifyRetryMs });
  const vnc = new VncGateway({
    projectRow: (id) => projects.rowById(id), tier: (id) => tiers.get(id), driver: (projectId) => lifecycle.driverFor(projectId),
    authenticate: (token) => users.authenticate(token), log,
  });
  const github = new GithubCredentials(db, box);
  // HANGAR_GIT_CA_FILE / HANGAR_SYNC_POLL_MS: read here until they join Config.
  const gitSync = new SyncService(db, hub, projects, operations, lifecycle, github, log, syncOptionsFromEnv(process.env, (p) => fs.readFileSync(p, 'utf8')));
  operations.onFinished = (ownerId, projectId, kind, state) => gitSync.afterOperation(ownerId, projectId, kind, state);
  hub.observe((_userId, event) => gitSync.noteActivity(event));
  const urlGuard = new PrivateHostGuard(config.allowPrivateHosts);
  const userSettings = createSettings({ db, projects, providers, credentials, notifications, github, lifecycle, urlGuard, agentSync: sync });
  return { settings: userSettings, sync: gitSync, github, config, db, log, hub, users, tiers, projects, driver, driverProblem: problem, drivers, lifecycle, operations, monitor, startedAt: Date.now(), agent: createAgentProxy(config, projects, log), activity: new ActivityService(db, hub, projects, log, Date.now, notifications), notifications, credentials, providers, vnc, urlGuard, streams: new PerUserSlots(MAX_STREAMS_PER_USER, 'event streams', 'Close a window or panel that follows events and try again.'), connectionTester: new ConnectionTester(providers, credentials, 10_000, urlGuard), oauth };
}
