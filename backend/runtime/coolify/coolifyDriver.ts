import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import { agentExec } from '../agentExec';
import type { DeploySpec, ExecResult, Progress, RuntimeDriver, RuntimeServerLoad, RuntimeStatus } from '../driver';
import { CoolifyClient, sleep, throwIfAborted, type Application } from './client';
import type { CoolifyConfig } from './config';
import { CoolifyError } from './errors';
import { appName, deploymentLogTail, describeApp, endpointsFor, endpointsFromFqdn, envItems, newLogLines, portsFor, projectIdOf, stateOf } from './mapping';
import { loadsOfServers, placeOnServer } from './serverPlacement';
import { StatusPoller } from './statusPoller';

export interface CoolifyDriverOptions {
  /** Between two reads of a deployment or of the application's status. */
  pollMs?: number;
  /** How long a deployment may stay queued or in progress. */
  deployTimeoutMs?: number;
  /** After a finished deployment, how long Coolify's status job may take to say "running". */
  runningTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** watch() polls this often while someone subscribes (Coolify has no push events). */
  watchIntervalMs?: number;
  logPollMs?: number;
  requestTimeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  logger?: Logger;
  /** Where exec finds a project's opencode password (the API's project secrets); without it exec fails. */
  agentPassword?: (projectId: string) => Promise<string>;
}

type Watcher = (projectId: string, status: RuntimeStatus) => void;

/**
 * Runs each project as one Coolify application built from a Docker image. Coolify has no exec (exec
 * goes through the agent's opencode PTY API) and no events, and its start and restart are
 * deployments: the progress messages say so.
 */
export class CoolifyDriver implements RuntimeDriver {
  readonly name = 'coolify' as const;
  private readonly client: CoolifyClient;
  private readonly uuids = new Map<string, string>();
  /** Projects this process stopped: Coolify reports a stop and a crash alike ("exited"). */
  private readonly stoppedByHangar = new Set<string>();
  private readonly poller: StatusPoller;
  private readonly closing = new AbortController();
  private readonly o: Required<Omit<CoolifyDriverOptions,
    'logger' | 'requestTimeoutMs' | 'maxRetries' | 'maxRetryWaitMs' | 'agentPassword'>>;
  private readonly log: Logger;
  private readonly agentPassword: ((projectId: string) => Promise<string>) | undefined;

  constructor(private readonly config: CoolifyConfig, options: CoolifyDriverOptions = {}) {
    this.client = new CoolifyClient({
      url: config.url,
      token: config.token,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: options.maxRetryWaitMs } : {}),
    });
    this.o = {
      pollMs: options.pollMs ?? 2_000,
      deployTimeoutMs: options.deployTimeoutMs ?? 15 * 60_000,
      runningTimeoutMs: options.runningTimeoutMs ?? 3 * 60_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 2 * 60_000,
      watchIntervalMs: options.watchIntervalMs ?? 15_000,
      logPollMs: options.logPollMs ?? 2_000,
    };
    this.log = options.logger ?? silentLogger;
    this.agentPassword = options.agentPassword;
    this.poller = new StatusPoller(() => this.list(), this.o.watchIntervalMs, this.log);
  }

  async deploy(spec: DeploySpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const desktop = spec.tier.imageType === 'desktop';
    const image = desktop ? this.config.desktopImage : this.config.image;
    if (!image) throw new CoolifyError('coolify_config', `The tier "${spec.tier.name}" runs the desktop image, and HANGAR_COOLIFY_DESKTOP_IMAGE is not set. Set it to the desktop agent image Coolify should pull.`);
    const ep = endpointsFor(this.config.domain, spec.slug, desktop);
    const fields = {
      name: appName(spec.slug),
      description: describeApp(spec.projectId),
      docker_registry_image_name: image.name,
      docker_registry_image_tag: image.tag,
      ports_exposes: portsFor(spec.tier),
      domains: ep.domains,
      limits_cpus: String(spec.tier.cpus),
      limits_memory: spec.tier.memory,
      limits_memory_reservation: spec.tier.memoryReservation,
      // opencode answers 401 to every unauthenticated request (its server password), so an HTTP
      // check from Coolify would always fail; Hangar checks /global/health itself, with the password.
      health_check_enabled: false,
    };
    progress('Looking for the project\'s application in Coolify and where it fits');
    // Several servers: what runs where comes from the applications themselves (one list call).
    const apps = this.config.servers.length > 1 ? await this.client.listApplications(signal) : [];
    for (const app of apps) {
      const id = projectIdOf(app.description);
      if (id) this.uuids.set(id, app.uuid);
    }
    let uuid = await this.findApp(spec.projectId, signal);
    const server = await placeOnServer(this.client, this.config, apps, spec, signal);
    // Several servers: the description records which one (Coolify's application API does not say).
    if (this.config.servers.length > 1) fields.description = describeApp(spec.projectId, server.uuid);
    if (uuid && server.moved) {
      progress(`Moving to Coolify server ${server.name} (the tier no longer fits on ${server.from}): Coolify cannot move an application, so Hangar deletes it there (its volumes stay on ${server.from}) and creates it on ${server.name}`);
      await this.client.deleteApplication(uuid, { deleteVolumes: false });
      this.uuids.delete(spec.projectId);
      uuid = undefined;
    }
    if (uuid) {
      progress('Updating the application in Coolify (image, ports, domains, limits)');
      try {
        await this.client.updateApplication(uuid, fields, signal);
      } catch (err) {
        // Deleted in Coolify behind Hangar's back: create it again below.
        if (!(err instanceof CoolifyError && err.upstreamStatus === 404)) throw err;
        this.uuids.delete(spec.projectId);
        uuid = undefined;
      }
    }
    if (!uuid) {
      progress(`Creating the application in Coolify (${image.name}:${image.tag}, ${fields.limits_cpus} CPU, ${fields.limits_memory} memory)`);
      const env = 'uuid' in this.config.environment ? { environment_uuid: this.config.environment.uuid } : { environment_name: this.config.environment.name };
      const created = await this.client.createDockerImageApplication({
        project_uuid: this.config.projectUuid,
        server_uuid: server.uuid,
        ...env,
        ...fields,
        instant_deploy: false,
      }, signal);
      uuid = created.uuid;
      this.log.info('coolify: application created', { projectId: spec.projectId, app: uuid });
    }
    this.uuids.set(spec.projectId, uuid);
    progress(`Setting ${Object.keys(spec.env).length} environment variables in Coolify (they reach the container with this deployment)`);
    await this.client.updateEnvs(uuid, envItems(spec.env), signal);
    progress(spec.force ? 'Asking Coolify to force-rebuild and redeploy' : 'Asking Coolify to deploy');
    const deployment = await this.client.deploy(uuid, spec.force, signal);
    this.stoppedByHangar.delete(spec.projectId);
    await this.follow(uuid, deployment, spec.force ? 'Force deploy' : 'Deploy', progress, signal);
    const status = await this.status(spec.projectId);
    const notes = [`storage limit (${spec.tier.storageGb} GB): Coolify does not limit volume sizes`];
    if (this.config.servers.length > 1) notes.unshift(`runs on Coolify server ${server.name} (${server.uuid})`);
    return { ...status, agentUrl: ep.agentUrl, ...(ep.vncUrl ? { vncUrl: ep.vncUrl } : {}), unenforced: notes };
  }

  async start(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const uuid = await this.requireApp(projectId, signal);
    progress('Starting on Coolify: Coolify starts an application by deploying its current configuration');
    const deployment = await this.client.start(uuid, signal);
    this.stoppedByHangar.delete(projectId);
    await this.follow(uuid, deployment, 'Start (deployment)', progress, signal);
    return this.status(projectId);
  }

  async stop(projectId: string, progress: Progress): Promise<RuntimeStatus> {
    const uuid = await this.findApp(projectId);
    if (!uuid) return { state: 'absent' };
    progress('Asking Coolify to stop the application');
    await this.client.stop(uuid);
    this.stoppedByHangar.add(projectId);
    progress('Waiting for Coolify to report the application stopped');
    const deadline = Date.now() + this.o.stopTimeoutMs;
    for (;;) {
      const app = await this.client.getApplication(uuid);
      if (!(app.status ?? '').startsWith('running')) break;
      if (Date.now() > deadline) throw new CoolifyError('coolify_not_ready', `Coolify still reports "${app.status}" ${Math.round(this.o.stopTimeoutMs / 1000)} s after the stop request. Check the application in Coolify.`);
      await sleep(this.o.pollMs, this.closing.signal);
    }
    return this.status(projectId);
  }

  async restart(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const uuid = await this.requireApp(projectId, signal);
    progress('Restarting on Coolify, which means a full redeploy: the container is recreated from the current configuration');
    const deployment = await this.client.restart(uuid, signal);
    this.stoppedByHangar.delete(projectId);
    await this.follow(uuid, deployment, 'Restart (redeploy)', progress, signal);
    return this.status(projectId);
  }

  async remove(projectId: string, opts: { volumes: boolean }, progress: Progress): Promise<void> {
    const uuid = await this.findApp(projectId);
    if (!uuid) {
      progress('Nothing to delete in Coolify for this project');
      return;
    }
    progress(opts.volumes ? 'Deleting the application and its volumes in Coolify' : 'Deleting the application in Coolify (keeping its volumes)');
    await this.client.deleteApplication(uuid, { deleteVolumes: opts.volumes });
    this.uuids.delete(projectId);
    this.stoppedByHangar.delete(projectId);
    // Coolify queues the deletion: wait (bounded) until the application is gone.
    const deadline = Date.now() + this.o.stopTimeoutMs;
    while (Date.now() < deadline && (await this.readApp(uuid))) await sleep(this.o.pollMs, this.closing.signal);
    progress('Deleted in Coolify');
  }

  async status(projectId: string): Promise<RuntimeStatus> {
    const uuid = await this.findApp(projectId);
    const app = uuid ? await this.readApp(uuid) : undefined;
    if (!app) {
      this.uuids.delete(projectId);
      return { state: 'absent' };
    }
    return this.toStatus(projectId, app);
  }

  async logs(projectId: string, tail: number): Promise<string[]> {
    return (await this.logsWithReason(projectId, tail)).lines;
  }

  /** logs() plus why there are none ("not running"), which a plain line list cannot carry. */
  async logsWithReason(projectId: string, tail: number, signal?: AbortSignal): Promise<{ lines: string[]; reason?: string }> {
    const uuid = await this.findApp(projectId, signal);
    if (!uuid) return { lines: [], reason: 'The project has no application in Coolify.' };
    const res = await this.client.logs(uuid, Math.max(1, Math.floor(tail)), signal);
    return res.notRunning ? { lines: res.lines, reason: res.notRunning } : { lines: res.lines };
  }

  async followLogs(projectId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const stop = AbortSignal.any([signal, this.closing.signal]);
    let prev: string[] = [];
    while (!stop.aborted) {
      try {
        const { lines } = await this.logsWithReason(projectId, 200, stop);
        // Across a redeploy the new container's log shares nothing with the old one: newLogLines
        // then returns all of it, so following survives restarts.
        if (lines.length) {
          for (const line of newLogLines(prev, lines)) onLine(line);
          prev = lines;
        }
      } catch (err) {
        if (stop.aborted) return;
        this.log.warn('coolify: reading logs failed', { projectId, error: (err as Error).message });
      }
      await sleep(this.o.logPollMs, stop).catch(() => undefined);
    }
  }

  /**
   * Coolify's API cannot run commands in a container: exec goes through the project's own opencode
   * server (its PTY API, see agentExec), at the agent URL from the status, with the project's
   * password from the agentPassword option. A PTY merges stderr into stdout: on failure the merged output
   * is also given as stderr, so callers that read git's errors there still see them.
   */
  async exec(projectId: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExecResult> {
    if (!this.agentPassword) throw new CoolifyError('coolify_exec_unsupported', 'Coolify\'s API cannot run commands inside a container, so the coolify runtime runs them through the agent\'s opencode server, and this driver was built without access to project passwords.');
    const status = await this.status(projectId);
    if (status.state !== 'running' || !status.agentUrl) throw new CoolifyError('coolify_not_ready', `The project is not running on Coolify (${status.state}): start it, then try again.`);
    const res = await agentExec(status.agentUrl, await this.agentPassword(projectId), argv, opts);
    return res.exitCode === 0 ? res : { ...res, stderr: res.stdout };
  }

  /** The registered servers with their capacity and what Hangar's applications reserve there. */
  serverLoads(signal?: AbortSignal): Promise<RuntimeServerLoad[]> {
    return loadsOfServers(this.client, this.config, signal ?? this.closing.signal);
  }

  async list(): Promise<{ projectId: string; status: RuntimeStatus }[]> {
    const apps = await this.client.listApplications(this.closing.signal);
    const out: { projectId: string; status: RuntimeStatus }[] = [];
    for (const app of apps) {
      const projectId = projectIdOf(app.description);
      if (!projectId) continue;
      this.uuids.set(projectId, app.uuid);
      out.push({ projectId, status: this.toStatus(projectId, app) });
    }
    return out;
  }

  watch(onChange: Watcher): () => void {
    return this.poller.subscribe(onChange);
  }

  async close(): Promise<void> {
    this.closing.abort(new Error('The coolify driver is closing.'));
    this.poller.close();
  }

  /** Follows a deployment to its end, then waits for Coolify's status job to say "running". */
  private async follow(appUuid: string, deployment: string, label: string, progress: Progress, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.o.deployTimeoutMs;
    let last = '';
    try {
      for (;;) {
        const d = await this.client.getDeployment(deployment, signal);
        if (d.status !== last) progress(`${label} ${deployment} on Coolify: ${d.status.replace(/_/g, ' ')}`);
        last = d.status;
        if (d.status === 'finished') break;
        if (d.status === 'failed' || d.status.startsWith('cancelled')) {
          const tail = deploymentLogTail(d.logs, 10);
          throw new CoolifyError('coolify_deployment_failed', `Coolify's deployment ${deployment} ${d.status === 'failed' ? 'failed' : 'was cancelled'}.${tail.length ? ` Last lines of its log: ${tail.join(' | ')}` : ''} Open the deployment in Coolify for the whole log.`, undefined, { deploymentUuid: deployment, log: tail });
        }
        if (Date.now() > deadline) throw new CoolifyError('coolify_not_ready', `Coolify's deployment ${deployment} is still ${d.status} after ${Math.round(this.o.deployTimeoutMs / 60_000)} min. Check Coolify's deployment queue.`);
        await sleep(this.o.pollMs, signal);
      }
      progress('Waiting for Coolify to report the application running');
      const until = Date.now() + this.o.runningTimeoutMs;
      for (;;) {
        const app = await this.client.getApplication(appUuid, signal);
        if ((app.status ?? '').startsWith('running')) return;
        if (Date.now() > until) {
          const { lines } = await this.client.logs(appUuid, 20).catch(() => ({ lines: [] as string[] }));
          throw new CoolifyError('coolify_not_ready', `Coolify finished deployment ${deployment} but still reports "${app.status}" after ${Math.round(this.o.runningTimeoutMs / 1000)} s: the container does not stay up.${lines.length ? ` Last log lines: ${lines.slice(-5).join(' | ')}` : ''}`);
        }
        await sleep(this.o.pollMs, signal);
      }
    } catch (err) {
      if (signal.aborted) {
        await this.client.cancelDeployment(deployment).then(() => progress(`Cancelled Coolify deployment ${deployment}`), () => undefined);
      }
      throw err;
    }
  }

  private toStatus(projectId: string, app: Application): RuntimeStatus {
    const { state, reason } = stateOf(app.status, this.stoppedByHangar.has(projectId));
    const ep = endpointsFromFqdn(app.fqdn);
    return {
      state,
      ...(reason ? { reason } : {}),
      ...(ep.agentUrl ? { agentUrl: ep.agentUrl } : {}),
      ...(ep.vncUrl ? { vncUrl: ep.vncUrl } : {}),
      instanceId: app.uuid,
    };
  }

  private async findApp(projectId: string, signal?: AbortSignal): Promise<string | undefined> {
    const known = this.uuids.get(projectId);
    if (known) return known;
    await this.listInto(signal);
    return this.uuids.get(projectId);
  }

  private async listInto(signal?: AbortSignal): Promise<void> {
    for (const app of await this.client.listApplications(signal)) {
      const id = projectIdOf(app.description);
      if (id && !this.uuids.has(id)) this.uuids.set(id, app.uuid);
    }
  }

  private async requireApp(projectId: string, signal: AbortSignal): Promise<string> {
    throwIfAborted(signal);
    const uuid = await this.findApp(projectId, signal);
    if (!uuid) throw new CoolifyError('coolify_not_found', 'The project has no application in Coolify yet: deploy it first.');
    return uuid;
  }

  /** The application, or undefined when Coolify no longer has it. */
  private async readApp(uuid: string): Promise<Application | undefined> {
    try {
      return await this.client.getApplication(uuid);
    } catch (err) {
      if (err instanceof CoolifyError && err.upstreamStatus === 404) return undefined;
      throw err;
    }
  }
}

export function createCoolifyDriver(config: CoolifyConfig, options?: CoolifyDriverOptions): CoolifyDriver {
  return new CoolifyDriver(config, options);
}
