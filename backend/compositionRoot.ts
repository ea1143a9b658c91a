import fs from 'node:fs';
import { ActivityService } from './activity/activityService';
import { NotificationWebhooks } from './activity/notificationWebhooks';
import type { Config } from './config';
import type { Db } from './db/database';
import { DomainBus } from './events/domainBus';
import { EventHub } from './events/eventHub';
import { SharedEventHub } from './events/sharedEventHub';
import type { Logger } from './logger';
import { DeviceFlowService } from './oauth/deviceFlow';
import { pruneOAuthFlows, RedirectFlowService } from './oauth/redirectFlow';
import { OAuthRefresher } from './oauth/refreshScheduler';
import { createAgentProxy, type AgentProxy } from './opencode/agentProxy';
import { CatalogService } from './providers/catalog';
import { ConnectionTester } from './providers/connectionTest';
import { CredentialService } from './providers/credentials';
import { ProviderInjection } from './providers/injection';
import { CredentialSync } from './providers/liveUpdate';
import { ProviderService } from './providers/providerService';
import { PrivateHostGuard } from './providers/urlGuard';
import type { RuntimeDriver } from './runtime/driver';
import type { RuntimeDrivers } from './runtime/drivers';
import { AgentApiUrls } from './runtime/agentApiUrls';
import { Lifecycle } from './runtime/lifecycle';
import { createRelocation } from './runtime/relocation';
import { createDrivers, type DriverFactory } from './runtime/registry';
import type { SealedSettings } from './runtime/runtimeSettings';
import { SecretBox } from './runtime/secretBox';
import { WarmPoolSettings } from './runtime/warmPoolSettings';
import { StatusMonitor } from './runtime/statusMonitor';
import { PerUserSlots } from './security/perUserSlots';
import { newId } from './security/tokens';
import { OperationLeases } from './services/operationLeases';
import { OperationService } from './services/operations';
import { ProjectService, toProject } from './services/projects';
import { ProjectStatusAuthority } from './services/projectStatusAuthority';
import { RedeployService } from './services/redeploy';
import { describeModel, describePermissions } from './timeline/configDetail';
import { TimelineService } from './timeline/timelineService';
import { TierService } from './services/tiers';
import { UserService } from './services/users';
import { GithubCredentials } from './sync/githubCredentials';
import { SyncService, syncOptions } from './sync/syncService';
import { VncGateway } from './vnc/vncGateway';
import { PermissionService } from './settings/permissionService';
import { agentPermissionSource, createSettings, type SettingsServices } from './settings/settingsServices';

/** Event streams one user may hold open at once (each window follows /api/events plus one per open chat). */
/** The default of HANGAR_MAX_STREAMS_PER_USER. */
export const MAX_STREAMS_PER_USER = 32;

/**
 * Every part of the API, built once by createServices. Routes take only the parts they use
 * (`Pick<Services, …>`, see backend/routes); server.ts starts and stops the ones with timers.
 */
export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  hub: EventHub;
  /** In-process events one part reacts to (credential.changed, agent.healthy, …): backend/events/domainBus.ts. */
  bus: DomainBus;
  users: UserService;
  tiers: TierService;
  projects: ProjectService;
  /** The default runtime (HANGAR_RUNTIME) new projects go to; undefined when it could not be built (driverProblem). */
  driver: RuntimeDriver | undefined;
  driverProblem: string | undefined;
  /** Every runtime this API drives; each project is driven by its own (projects.runtime). */
  drivers: RuntimeDrivers;
  lifecycle: Lifecycle;
  /** Where each runtime's agents reach the API (recorded by server.ts once it listens). */
  agentApiUrls: AgentApiUrls;
  operations: OperationService;
  /** This process's operations' heartbeats, and dead replicas' operations failed (services/operationLeases.ts). */
  leases: OperationLeases;
  /** Change Tier… and Move to Runtime…: a force redeploy that keeps the workspace and sessions. */
  redeploy: RedeployService;
  /** Each project's timeline (deploys, crashes, pushes, …), stored from the hub's events. */
  timeline: TimelineService;
  monitor: StatusMonitor;
  /** The runtimes' warm pool sizes as an admin setting (backend/runtime/warmPoolSettings.ts). */
  warmPools: WarmPoolSettings;
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
  /** What every agent starts with in OPENCODE_CONFIG_CONTENT (backend/providers/injection.ts). */
  injection: ProviderInjection;
  /** Test Provider Connection (backend/providers/connectionTest.ts). */
  connectionTester: ConnectionTester;
  /** Refuses provider URLs on loopback/private networks unless HANGAR_ALLOW_PRIVATE_HOSTS allows them. */
  urlGuard: PrivateHostGuard;
  /** Open event streams per user (/api/events and every agent event stream together). */
  streams: PerUserSlots;
  /** Provider sign-in (backend/oauth): device flow, redirect + PKCE, and the refresh scheduler. */
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

/** What the server read before building the parts: the sealed runtime settings and the runtimes in use. */
export interface StartupState {
  /** The sealed runtime_settings rows (loadSealedSettings), e.g. the Coolify token. */
  settings?: SealedSettings;
  /** Runtimes existing projects were deployed on: their drivers are built whatever HANGAR_RUNTIME says. */
  runtimesInUse?: readonly string[];
  /** Other driver factories than backend/runtime/registry.ts's (tests). */
  factories?: Partial<Record<Config['runtime'], DriverFactory>>;
}

/**
 * The composition root of the API: builds every part through its constructor, in dependency
 * order, and wires the reactions of one part to another through the domain bus. Nothing is
 * assigned into a part after it is built.
 */
export function createServices(
  config: Config, db: Db, log: Logger, encryptionKey: Buffer, startup: StartupState = {},
): Services {
  // Replicas on PostgreSQL share one event order through the database; SQLite is one process.
  const hub = config.database.kind === 'postgres'
    ? new SharedEventHub(config.eventBufferSize, db, config.database.url, log)
    : new EventHub(config.eventBufferSize);
  const bus = new DomainBus();
  const box = new SecretBox(encryptionKey);
  const users = new UserService(db);
  const tiers = new TierService(db, hub);
  const status = new ProjectStatusAuthority(db, hub, toProject);
  const projects = new ProjectService(db, tiers, hub, config.runtime, box, status);
  // Coolify cannot exec: its driver runs commands through the agent's opencode, with the project's password.
  const agentPassword = async (id: string) => (await projects.secrets(id)).opencodePassword;
  const driverContext = { config, box, log, settings: startup.settings ?? {}, agentPassword };
  const drivers = createDrivers(driverContext, startup.runtimesInUse, startup.factories);
  const driver = drivers.default;

  const credentials = new CredentialService(db, box, hub, bus);
  const catalog = new CatalogService(db, log, config.models);
  const providers = new ProviderService(db, catalog, credentials, projects, bus, config.oauth.redirectProviders);
  const injection = new ProviderInjection(projects, providers, credentials);
  const agentApiUrls = new AgentApiUrls(config.runtime);
  const lifecycle = new Lifecycle(
    drivers, projects, tiers, config.healthTimeoutMs, log, bus, agentApiUrls, () => injection.envFor());
  const replicaId = newId();
  const operations = new OperationService(db, hub, projects, lifecycle, log, bus, status, replicaId);
  const leaseTimes = { renewMs: config.leases.renewMs, leaseMs: config.leases.operationMs };
  const leases = new OperationLeases(db, hub, projects, replicaId, log, (id) => operations.cancelRequested(id), leaseTimes);
  const busy = (id: string) => operations.isBusy(id) || leases.busyElsewhere(id);
  const monitor = new StatusMonitor(drivers, projects, busy, config.statusPollMs, log);
  const warmPools = new WarmPoolSettings(db, box, drivers);

  // Provider changes and a newly healthy agent reach running agents through opencode's own API.
  const permissions = new PermissionService(db, projects, bus);
  const liveConfig = new CredentialSync(
    projects, providers, credentials, injection, hub, log, agentPermissionSource(permissions, lifecycle),
  );
  bus.on('permissions.changed', ({ userId, projectId }) => liveConfig.permissionsChanged(userId, projectId));
  bus.on('credential.changed', ({ userId, providerId }) => liveConfig.providerChanged(userId, providerId));
  bus.on('model.changed', ({ userId, projectId }) =>
    projectId ? liveConfig.projectChanged(userId, projectId) : liveConfig.defaultChanged(userId));
  bus.on('agent.healthy', ({ projectId, agentUrl }) => liveConfig.pushProject(projectId, agentUrl));

  const { oauth: o } = config;
  const oauth = {
    device: new DeviceFlowService(db, box, credentials, log, {
      oauthBaseUrl: o.githubOAuthUrl, clientId: o.copilotClientId, enterpriseHost: o.githubEnterpriseHost,
    }),
    redirect: new RedirectFlowService(db, box, credentials, log, o.redirectProviders),
    refresher: new OAuthRefresher(credentials, o.redirectProviders, log, {
      leadMs: o.refreshLeadMs, pollMs: o.refreshPollMs, housekeeping: () => pruneOAuthFlows(db, Date.now()),
    }),
  };

  const notifications = new NotificationWebhooks(db, box, log, { retryBaseMs: config.notifyRetryMs });
  const vnc = new VncGateway({
    projectRow: (id) => projects.rowById(id), tier: (id) => tiers.get(id),
    driver: (projectId) => lifecycle.driverFor(projectId),
    authenticate: (token) => users.authenticate(token), log,
  });

  const github = new GithubCredentials(db, box);
  const readFile = (p: string) => fs.readFileSync(p, 'utf8');
  const syncOpts = syncOptions(config.sync, readFile);
  const sync = new SyncService(db, hub, projects, operations, lifecycle, github, log, syncOpts);
  bus.on('operation.finished', ({ ownerId, projectId, kind, state }) =>
    sync.afterOperation(ownerId, projectId, kind, state));
  hub.observe((_userId, event) => sync.noteActivity(event));

  const urlGuard = new PrivateHostGuard(config.allowPrivateHosts);
  const streams = new PerUserSlots(
    config.maxStreamsPerUser, 'event streams', 'Close a window or panel that follows events and try again.');
  const settings = createSettings({ db, permissions, providers, credentials, notifications, github, urlGuard });
  const redeploy = new RedeployService(
    projects, tiers, drivers, lifecycle, operations, sync, bus, createRelocation(config, drivers));
  const timeline = new TimelineService(db, projects, log, undefined, busy);
  hub.observe((_userId, event) => void timeline.observe(event));
  bus.on('permissions.changed', ({ userId, projectId }) => timeline.configChanged(userId, projectId,
    async (id) => { const eff = await permissions.forProject(id); return eff ? describePermissions(eff) : 'permissions'; }));
  bus.on('model.changed', ({ userId, projectId }) => timeline.configChanged(userId, projectId,
    async (id) => describeModel(await providers.effective(userId, id))));
  bus.on('project.tierChanged', ({ projectId, from, to }) => timeline.tierChanged(projectId, from, to));
  bus.on('session.started', (s) => timeline.sessionStarted(s));
  bus.on('agent.pushed', (p) => timeline.agentPushed(p));
  return {
    settings, config, db, log, hub, bus, agentApiUrls, users, tiers, projects, drivers, lifecycle, operations, leases, redeploy, timeline,
    monitor, warmPools,
    credentials, providers,
    injection, oauth, notifications, vnc, github, sync, urlGuard, streams,
    driver, driverProblem: driver ? undefined : drivers.problem(config.runtime),
    startedAt: Date.now(),
    agent: createAgentProxy(config, projects, log, hub),
    activity: new ActivityService(db, hub, projects, log, Date.now, notifications, bus),
    connectionTester: new ConnectionTester(providers, credentials, 10_000, urlGuard),
  };
}
