import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { DeploySpec, ExecResult, Progress, RuntimeDriver, RuntimeStatus } from '../driver';
import type { DockerConfig } from './config';
import {
  LABEL_MANAGED, LABEL_PROJECT, LABEL_SPEC_HASH, WORKSPACE,
  createOptions, imageFor, projectVolumes, specHash, unenforcedLimits,
} from './containerSpec';
import { toRuntimeStatus } from './containerStatus';
import { DockerRuntimeError, engineMessage, imageMissing, notDeployed, statusOf, wrapEngineError } from './dockerErrors';
import { demuxStream, lineSplitter } from './dockerStreams';
import { DockerEvents, type ContainerEvent } from './dockerEvents';
import { waitForBridgeGateway, type BridgeNetwork, type WaitOptions } from './bridgeGateway';

const abortError = () => Object.assign(new Error('The operation was cancelled.'), { name: 'AbortError' });
const checkAbort = (signal?: AbortSignal) => { if (signal?.aborted) throw abortError(); };

export function dockerClient(config: DockerConfig): Docker {
  const host = config.dockerHost;
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const u = new URL(host.replace(/^tcp:/, 'http:'));
  if (!config.tls) return new Docker({ host: u.hostname, port: Number(u.port || 2375), protocol: 'http' });
  const read = (f: string) => fs.readFileSync(path.join(config.tls!.certPath, f));
  return new Docker({ host: u.hostname, port: Number(u.port || 2376), protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
}

/** One container per project on a Docker engine (see issue 3 and docs/docker.md). */
export class DockerDriver implements RuntimeDriver {
  readonly name = 'docker' as const;
  private readonly docker: Docker;
  private readonly events: DockerEvents;
  /** Containers we stopped ourselves: their SIGKILL exit after a slow stop is not a crash. */
  private readonly stoppedByUs = new Set<string>();
  /** Tier storage sizes by project, for the "not enforced" note (not recoverable from the engine). */
  private readonly unenforced = new Map<string, string[]>();

  constructor(private readonly config: DockerConfig, docker?: Docker, private readonly gatewayWait: WaitOptions = {}) {
    this.docker = docker ?? dockerClient(config);
    this.events = new DockerEvents(this.docker);
  }

  async deploy(spec: DeploySpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    this.unenforced.set(spec.projectId, unenforcedLimits(spec));
    const image = imageFor(spec, this.config);
    const imageId = await this.imageId(image, spec.tier.imageType);
    checkAbort(signal);
    const hash = specHash(spec, this.config);
    const existing = await this.containersOf(spec.projectId);
    const [current, ...orphans] = existing;
    for (const o of orphans) await this.removeContainer(o.Id, progress, 'left over from an interrupted deploy');
    if (current && !spec.force && current.Labels[LABEL_SPEC_HASH] === hash && current.ImageID === imageId) {
      progress(`Container ${shortId(current.Id)} is up to date`);
      if (current.State !== 'running') {
        progress('Starting container');
        await this.call('start the container', () => this.docker.getContainer(current.Id).start());
      }
      this.stoppedByUs.delete(current.Id);
      return this.status(spec.projectId);
    }
    if (current) {
      const why = spec.force ? 'force deploy' : current.ImageID !== imageId ? 'the image changed' : 'the tier, image or credentials changed';
      await this.removeContainer(current.Id, progress, why);
    }
    checkAbort(signal);
    await this.ensureVolume(spec.projectId, progress);
    if (this.config.network) await this.ensureNetwork(this.config.network, progress);
    checkAbort(signal);
    progress(`Creating container from ${image} (${spec.tier.cpus} CPU, ${spec.tier.memory} memory)`);
    const container = await this.call('create the container', () => this.docker.createContainer(createOptions(spec, this.config)));
    try {
      checkAbort(signal);
      progress(`Starting container ${shortId(container.id)}`);
      await this.call('start the container', () => container.start());
    } catch (err) {
      // A container that never started is not worth keeping: the next deploy creates a fresh one.
      await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
    return this.status(spec.projectId);
  }

  async start(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const c = await this.requireContainer(projectId);
    checkAbort(signal);
    progress(`Starting container ${shortId(c.Id)}`);
    this.stoppedByUs.delete(c.Id);
    await this.call('start the container', () => this.docker.getContainer(c.Id).start(), [304]);
    return this.status(projectId);
  }

  async stop(projectId: string, progress: Progress): Promise<RuntimeStatus> {
    const c = await this.requireContainer(projectId);
    progress(`Stopping container ${shortId(c.Id)}`);
    this.stoppedByUs.add(c.Id);
    await this.call('stop the container', () => this.docker.getContainer(c.Id).stop({ t: this.config.stopTimeoutSec }), [304]);
    return this.status(projectId);
  }

  async restart(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const c = await this.requireContainer(projectId);
    checkAbort(signal);
    progress(`Restarting container ${shortId(c.Id)}`);
    this.stoppedByUs.delete(c.Id);
    await this.call('restart the container', () => this.docker.getContainer(c.Id).restart({ t: this.config.stopTimeoutSec }));
    return this.status(projectId);
  }

  async remove(projectId: string, opts: { volumes: boolean }, progress: Progress): Promise<void> {
    for (const c of await this.containersOf(projectId)) await this.removeContainer(c.Id, progress, 'delete');
    if (opts.volumes) {
      for (const name of projectVolumes(projectId)) {
        progress(`Removing volume ${name}`);
        await this.call('remove a project volume', () => this.docker.getVolume(name).remove(), [404]);
      }
    }
    this.unenforced.delete(projectId);
  }

  async status(projectId: string): Promise<RuntimeStatus> {
    const [c] = await this.containersOf(projectId);
    if (!c) return { state: 'absent' };
    try {
      const info = await this.docker.getContainer(c.Id).inspect();
      return toRuntimeStatus(info, this.stoppedByUs.has(c.Id), this.unenforced.get(projectId) ?? []);
    } catch (err) {
      if (statusOf(err) === 404) return { state: 'absent' };
      throw wrapEngineError('inspect the container', this.config.dockerHost, err);
    }
  }

  async logs(projectId: string, tail: number): Promise<string[]> {
    const c = await this.requireContainer(projectId);
    const buf = await this.call('read the logs', () =>
      this.docker.getContainer(c.Id).logs({ stdout: true, stderr: true, tail: Math.max(0, Math.floor(tail)), follow: false }));
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l));
    // Docker returns frames in time order; demux frame by frame to keep stdout and stderr interleaved.
    let at = 0;
    while (at + 8 <= buf.length) {
      const len = buf.readUInt32BE(at + 4);
      split.push(buf[at] === 2 ? 'stderr' : 'stdout', buf.subarray(at + 8, at + 8 + len));
      at += 8 + len;
    }
    split.flush();
    return lines.slice(-tail);
  }

  async followLogs(projectId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    // StartedAt of the run being followed: a new value means the container (re)started since.
    let followed = '';
    // Engine timestamp (ns) of the last line delivered: a re-attach replays only what came after it.
    const cursor = { ns: BigInt(Date.now()) * 1_000_000n, first: true };
    while (!signal.aborted) {
      const [c] = await this.containersOf(projectId);
      const info = c ? await this.docker.getContainer(c.Id).inspect().catch(() => undefined) : undefined;
      if (info?.State.Running && info.State.StartedAt !== followed) {
        followed = info.State.StartedAt;
        await this.followRun(info.Id, cursor, onLine, signal);
        continue;
      }
      // Stopped or not there yet: wake on its next start (the timeout is a backstop for a start
      // that happened between the end of the stream and this subscription).
      await this.events.waitFor((e) => e.projectId === projectId && e.action === 'start', signal, 2000);
    }
  }

  /** Follows one run of a container from the cursor (the first attach starts at "now"). */
  private async followRun(id: string, cursor: { ns: bigint; first: boolean }, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const first = cursor.first;
    cursor.first = false;
    const stream = await this.call('follow the logs', () => this.docker.getContainer(id).logs({
      stdout: true, stderr: true, follow: true, timestamps: true,
      ...(first ? { tail: 0 } : { since: Number(cursor.ns / 1_000_000_000n) }),
    }));
    const split = lineSplitter((line) => {
      const m = /^(\S+) ?(.*)$/.exec(line);
      const ns = m ? timestampNs(m[1]!) : undefined;
      if (!m || ns === undefined) return;
      if (!first && ns <= cursor.ns) return; // already delivered before the re-attach
      if (ns > cursor.ns) cursor.ns = ns;
      onLine(m[2]!);
    });
    const abort = () => (stream as unknown as { destroy(): void }).destroy();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await demuxStream(stream, (kind, data) => split.push(kind, data)).catch(() => undefined);
    } finally {
      signal.removeEventListener('abort', abort);
      split.flush();
    }
  }

  async exec(projectId: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new DockerRuntimeError(400, 'bad_exec', 'exec needs a command');
    const c = await this.requireContainer(projectId);
    if (c.State !== 'running') {
      throw new DockerRuntimeError(409, 'not_running', `The container of project ${projectId} is ${c.State}: start it first.`);
    }
    const container = this.docker.getContainer(c.Id);
    const exec = await this.call('exec in the container', () => container.exec({
      Cmd: argv,
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: opts.cwd ?? WORKSPACE,
      ...(opts.env ? { Env: Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) } : {}),
    }));
    const stream = await this.call('exec in the container', () => exec.start({ hijack: true, stdin: false }));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = demuxStream(stream, (kind, data) => (kind === 'stderr' ? err : out).push(Buffer.from(data)));
    const timeout = new Promise<never>((_, reject) => {
      if (!opts.timeoutMs) return;
      timer = setTimeout(() => {
        stream.destroy();
        reject(new DockerRuntimeError(504, 'exec_timeout', `${argv[0]} did not finish within ${opts.timeoutMs} ms in project ${projectId}`));
      }, opts.timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    let info = await exec.inspect();
    for (let i = 0; info.Running && i < 50; i++) { await new Promise((r) => setTimeout(r, 20)); info = await exec.inspect(); }
    return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  async list(): Promise<{ projectId: string; status: RuntimeStatus }[]> {
    const all = await this.call('list containers', () => this.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } }));
    const ids = [...new Set(all.map((c) => c.Labels[LABEL_PROJECT]).filter((id): id is string => !!id))];
    return Promise.all(ids.map(async (projectId) => ({ projectId, status: await this.status(projectId) })));
  }

  watch(onChange: (projectId: string, status: RuntimeStatus) => void): () => void {
    return this.events.subscribe((e: ContainerEvent) => {
      if (!['start', 'die', 'stop', 'oom', 'destroy', 'restart', 'pause', 'unpause'].includes(e.action)) return;
      this.status(e.projectId).then((s) => onChange(e.projectId, s), () => undefined);
    });
  }

  /**
   * The host's address on the engine's default bridge (what `host-gateway` resolves to inside a
   * container): the API opens its webhook listener there when it itself listens on loopback.
   * Undefined when the engine is remote (its bridge is not on this host). For a local engine it
   * waits (bounded) for a freshly started engine to report the gateway, and throws a
   * BridgeGatewayError saying what to set when there is none: never an undefined address.
   */
  async hostGatewayIp(): Promise<string | undefined> {
    if (!this.config.dockerHost.startsWith('unix://')) return undefined;
    return waitForBridgeGateway(() => this.docker.getNetwork('bridge').inspect() as Promise<BridgeNetwork>, this.gatewayWait);
  }

  async close(): Promise<void> {
    this.events.close();
  }

  /** The project's containers, newest first (more than one only after an interrupted recreate). */
  private async containersOf(projectId: string): Promise<Docker.ContainerInfo[]> {
    const list = await this.call('list containers', () => this.docker.listContainers({
      all: true, filters: { label: [`${LABEL_MANAGED}=true`, `${LABEL_PROJECT}=${projectId}`] },
    }));
    return list.sort((a, b) => b.Created - a.Created);
  }

  private async requireContainer(projectId: string): Promise<Docker.ContainerInfo> {
    const [c] = await this.containersOf(projectId);
    if (!c) throw notDeployed(projectId);
    return c;
  }

  private async removeContainer(id: string, progress: Progress, why: string): Promise<void> {
    progress(`Removing container ${shortId(id)} (${why})`);
    const c = this.docker.getContainer(id);
    this.stoppedByUs.add(id);
    await this.call('stop the container', () => c.stop({ t: this.config.stopTimeoutSec }), [304, 404]);
    await this.call('remove the container', () => c.remove({ force: true, v: true }), [404]);
    this.stoppedByUs.delete(id);
  }

  private async imageId(image: string, imageType: 'cli' | 'desktop'): Promise<string> {
    try {
      return (await this.docker.getImage(image).inspect()).Id;
    } catch (err) {
      if (statusOf(err) === 404) throw imageMissing(image, imageType);
      throw wrapEngineError(`inspect the image ${image}`, this.config.dockerHost, err);
    }
  }

  /** The workspace volume and the agent's data volume (containerSpec.ts), created when absent. */
  private async ensureVolume(projectId: string, progress: Progress): Promise<void> {
    for (const name of projectVolumes(projectId)) {
      try {
        await this.docker.getVolume(name).inspect();
      } catch (err) {
        if (statusOf(err) !== 404) throw wrapEngineError(`inspect the volume ${name}`, this.config.dockerHost, err);
        progress(`Creating volume ${name}`);
        await this.call(`create the volume ${name}`, () =>
          this.docker.createVolume({ Name: name, Labels: { [LABEL_MANAGED]: 'true', [LABEL_PROJECT]: projectId } }));
      }
    }
  }

  private async ensureNetwork(name: string, progress: Progress): Promise<void> {
    try {
      await this.docker.getNetwork(name).inspect();
    } catch (err) {
      if (statusOf(err) !== 404) throw wrapEngineError(`inspect network ${name}`, this.config.dockerHost, err);
      progress(`Creating network ${name}`);
      await this.call(`create network ${name}`, () =>
        this.docker.createNetwork({ Name: name, Driver: 'bridge', Labels: { [LABEL_MANAGED]: 'true' } }), [409]);
    }
  }

  /** Runs one engine call; `ok` lists statuses that are fine here (304 not modified, 404 already gone). */
  private async call<T>(action: string, fn: () => Promise<T>, ok: number[] = []): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = statusOf(err);
      if (code !== undefined && ok.includes(code)) return undefined as T;
      if (code === 404 && /no such image/i.test(engineMessage(err))) {
        throw new DockerRuntimeError(424, 'docker_image_missing', `Docker could not ${action}: ${engineMessage(err)}. See media/images/README.md to build it.`, err);
      }
      throw wrapEngineError(action, this.config.dockerHost, err);
    }
  }
}

const shortId = (id: string) => id.slice(0, 12);

/** Docker's RFC 3339 timestamps carry nanoseconds; Date keeps milliseconds only. */
function timestampNs(ts: string): bigint | undefined {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
