import type { OperationKind, ProjectStatus } from '../contract';
import type { DomainBus } from '../events/domainBus';
import type { AgentApiUrls } from './agentApiUrls';
import type { Logger } from '../logger';
import type { ProjectRecords, ProjectSecrets, TierLookup } from './projectRecords';
import type { Progress, RuntimeDriver, RuntimeStatus } from './driver';
import type { RuntimeDrivers } from './drivers';
import { waitForHealthy } from './health';

/** The environment every runtime gives opencode; secrets only ever travel this way. */
export function agentEnv(projectId: string, secrets: ProjectSecrets, webhookUrl?: string): Record<string, string> {
  return {
    OPENCODE_SERVER_PASSWORD: secrets.opencodePassword,
    HANGAR_WEBHOOK_SECRET: secrets.webhookSecret,
    HANGAR_PROJECT_ID: projectId,
    // Where the opencode plugin (media/opencode-plugin) posts session events.
    ...(webhookUrl ? { HANGAR_WEBHOOK_URL: webhookUrl } : {}),
  };
}

export const WEBHOOK_PATH = '/api/webhooks/opencode';

/** A project status from what the runtime reports (health decided by the caller). */
export function statusFromRuntime(rs: RuntimeStatus, healthy: boolean): { status: ProjectStatus; reason: string | null } {
  switch (rs.state) {
    case 'absent': return { status: 'not_deployed', reason: null };
    case 'created': return { status: 'stopped', reason: 'created but never started' };
    case 'starting': return { status: 'starting', reason: null };
    case 'running': return healthy ? { status: 'running', reason: rs.reason ?? null } : { status: 'starting', reason: rs.reason ?? null };
    case 'stopped': return { status: 'stopped', reason: null };
    case 'exited': return { status: 'crashed', reason: rs.reason ?? 'the process exited' };
  }
}

/**
 * What each container action does, step by step, on whichever driver the server runs. The
 * operation service decides when (one at a time per project); this decides how.
 */
export class Lifecycle {
  constructor(
    readonly drivers: RuntimeDrivers,
    private readonly projects: ProjectRecords,
    private readonly tiers: TierLookup,
    private readonly healthTimeoutMs: number,
    private readonly log: Logger,
    /**
     * Told `agent.healthy` once opencode is healthy (deploy, start, restart), and waited for: backend/providers
     * hands it the project's provider credential before the project shows as running.
     */
    private readonly bus: DomainBus,
    /** The API's base URL as each runtime's agents reach it (the plugin's webhook target), once it listens. */
    private readonly apiUrls: AgentApiUrls,
    /** The agent's base OPENCODE_CONFIG_CONTENT (no provider, no secret), from backend/providers. */
    private readonly providerEnv: (projectId: string) => Promise<Record<string, string>> = async () => ({}),
  ) {}

  /** The API's base URL as the default runtime's agents reach it (undefined until the server listens). */
  get apiUrl(): string | undefined {
    return this.apiUrls.get(this.drivers.defaultName);
  }

  /** The default runtime's driver (HANGAR_RUNTIME), if it could be built. */
  get driver(): RuntimeDriver | undefined {
    return this.drivers.default;
  }

  /** The default runtime's driver, or why there is none. */
  requireDriver(): RuntimeDriver {
    return this.drivers.require(this.drivers.defaultName);
  }

  /** The driver of the runtime the project was deployed on (each project keeps its own). */
  async driverFor(projectId: string): Promise<RuntimeDriver> {
    const row = await this.projects.rowById(projectId);
    return this.drivers.require(row?.runtime ?? this.drivers.defaultName);
  }

  async run(kind: Exclude<OperationKind, 'delete'>, projectId: string, force: boolean, progress: Progress, signal: AbortSignal): Promise<void> {
    const driver = await this.driverFor(projectId);
    switch (kind) {
      case 'deploy': {
        const row = await this.projects.rowById(projectId);
        if (!row) throw new Error('the project no longer exists');
        const tier = await this.tiers.get(row.tier_id);
        const secrets = await this.projects.secrets(projectId);
        await this.projects.applyRuntime(projectId, { status: 'deploying', reason: null });
        progress(`${force ? 'Force deploying' : 'Deploying'} on the ${driver.name} runtime, tier ${tier.name} (${tier.cpus} CPU, ${tier.memory} memory)`);
        const spec = { projectId, slug: row.slug, tier, env: { ...(await this.providerEnv(projectId)), ...agentEnv(projectId, secrets, this.webhookUrl(driver.name)) }, force };
        const warm = force ? undefined : await driver.claimWarm?.(spec, progress);
        if (warm) {
          await this.projects.adoptOpencodePassword(projectId, warm.opencodePassword);
          return this.becomeHealthy(driver, projectId, warm.status, { ...secrets, opencodePassword: warm.opencodePassword }, progress, signal);
        }
        const rs = await driver.deploy(spec, progress, signal);
        return this.becomeHealthy(driver, projectId, rs, secrets, progress, signal);
      }
      case 'start':
      case 'restart': {
        const secrets = await this.projects.secrets(projectId);
        await this.projects.applyRuntime(projectId, { status: kind === 'start' ? 'starting' : 'stopping', reason: null });
        const rs = kind === 'start' ? await driver.start(projectId, progress, signal) : await driver.restart(projectId, progress, signal);
        return this.becomeHealthy(driver, projectId, rs, secrets, progress, signal);
      }
      case 'stop': {
        await this.projects.applyRuntime(projectId, { status: 'stopping', reason: null });
        const rs = await driver.stop(projectId, progress);
        const next = statusFromRuntime(rs, false);
        await this.projects.applyRuntime(projectId, { ...next, instanceId: rs.instanceId ?? null });
        return;
      }
    }
  }

  /** After a cancel: nothing half-started stays behind. */
  async afterCancel(projectId: string): Promise<void> {
    const driver = await this.driverFor(projectId);
    const rs = await driver.stop(projectId, () => {});
    await this.projects.applyRuntime(projectId, { status: rs.state === 'absent' ? 'not_deployed' : 'stopped', reason: 'cancelled by the user' });
  }

  /** After a failure: record why, and stop a process that runs but never became healthy. */
  async afterFailure(kind: OperationKind, projectId: string, message: string): Promise<void> {
    const driver = await this.driverFor(projectId).catch(() => undefined);
    if (!driver) {
      await this.projects.applyRuntime(projectId, { status: 'failed', reason: message });
      return;
    }
    if (kind !== 'stop') {
      await driver.stop(projectId, () => {}).catch((err: unknown) => this.log.warn('stop after a failed start failed', { projectId, error: String(err) }));
    }
    await this.projects.applyRuntime(projectId, { status: 'failed', reason: message });
  }

  async remove(projectId: string, volumes: boolean, progress: Progress): Promise<void> {
    const row = await this.projects.rowById(projectId);
    const runtime = row?.runtime ?? this.drivers.defaultName;
    const driver = this.drivers.get(runtime);
    if (!driver) {
      progress(`no runtime driver: nothing to remove (${this.drivers.problem(runtime)})`);
      return;
    }
    await driver.remove(projectId, { volumes }, progress);
  }

  private webhookUrl(runtime: string): string | undefined {
    const base = this.apiUrls.get(runtime);
    return base && base + WEBHOOK_PATH;
  }

  private async becomeHealthy(driver: RuntimeDriver, projectId: string, rs: RuntimeStatus, secrets: ProjectSecrets, progress: Progress, signal: AbortSignal): Promise<void> {
    await this.projects.applyRuntime(projectId, {
      status: 'starting', reason: null, agentUrl: rs.agentUrl ?? null, vncUrl: rs.vncUrl ?? null,
      instanceId: rs.instanceId ?? null, runtimeNotes: rs.unenforced ?? [],
    });
    for (const note of rs.unenforced ?? []) progress(`Note: ${note}`);
    if (!rs.agentUrl) throw new Error(`the ${driver.name} runtime reported no agent URL (state ${rs.state})`);
    progress('Waiting for opencode to answer GET /global/health');
    const healthy = await waitForHealthy(rs.agentUrl, secrets.opencodePassword, {
      signal,
      timeoutMs: this.healthTimeoutMs,
      check: async () => {
        const now = await driver.status(projectId);
        if (now.state === 'exited' || now.state === 'stopped' || now.state === 'absent') {
          throw new Error(now.reason ?? `the runtime reports the project ${now.state} while waiting for health`);
        }
      },
    });
    progress(`opencode ${healthy.version} is healthy`);
    await this.bus.emit('agent.healthy', { projectId, agentUrl: rs.agentUrl });
    await this.projects.applyRuntime(projectId, { status: 'running', reason: null });
  }
}
