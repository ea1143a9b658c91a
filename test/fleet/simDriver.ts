// A test-only runtime driver that "deploys" a project as one simulated agent on the fleet simulator
// (simServer.ts): a deploy is one HTTP call, so one machine runs thousands of projects. It stands in
// for the local runtime (its name is `local`) and is injected through startServer's driver factories
// by a test or bench entry point (test/bench/fleet/replica.ts); the product bundle never contains it.
import type { DriverFactory, ExecResult, RuntimeDriver, RuntimeStatus } from '../../backend/runtime/driver';

/** The agent id a project gets on the simulator: its id (letters, digits, `-` and `_`). */
function agentIdOf(projectId: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(projectId)) throw new Error(`a project id the simulator cannot host: ${projectId}`);
  return projectId;
}

export class SimDriver implements RuntimeDriver {
  readonly name = 'local' as const;
  private readonly watchers = new Set<(projectId: string, status: RuntimeStatus) => void>();

  constructor(private readonly simUrl: string) {}

  private async control(method: string, projectId: string, body?: unknown): Promise<Response> {
    return fetch(`${this.simUrl}/_sim/agents/${agentIdOf(projectId)}`, {
      method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
  }

  private running(projectId: string): RuntimeStatus {
    return { state: 'running', agentUrl: `${this.simUrl}/a/${agentIdOf(projectId)}`, instanceId: `sim-${agentIdOf(projectId)}` };
  }

  private notify(projectId: string, status: RuntimeStatus): RuntimeStatus {
    for (const w of this.watchers) w(projectId, status);
    return status;
  }

  async deploy(spec: Parameters<RuntimeDriver['deploy']>[0], progress: (m: string) => void): Promise<RuntimeStatus> {
    const password = spec.env.OPENCODE_SERVER_PASSWORD;
    if (!password) throw new Error('the deploy spec has no OPENCODE_SERVER_PASSWORD');
    const res = await this.control('PUT', spec.projectId, { password });
    if (!res.ok) throw new Error(`the fleet simulator refused the agent: HTTP ${res.status} ${await res.text()}`);
    await res.body?.cancel();
    progress('simulated agent registered on the fleet simulator');
    return this.notify(spec.projectId, this.running(spec.projectId));
  }

  async start(projectId: string): Promise<RuntimeStatus> {
    const now = await this.status(projectId);
    if (now.state !== 'running') throw new Error('the simulated agent is gone: deploy the project again');
    return now;
  }

  async stop(projectId: string): Promise<RuntimeStatus> {
    await (await this.control('DELETE', projectId)).body?.cancel();
    return this.notify(projectId, { state: 'absent' });
  }

  restart(projectId: string): Promise<RuntimeStatus> {
    return this.start(projectId);
  }

  async remove(projectId: string): Promise<void> {
    await this.stop(projectId);
  }

  async status(projectId: string): Promise<RuntimeStatus> {
    const res = await this.control('GET', projectId);
    await res.body?.cancel();
    return res.status === 200 ? this.running(projectId) : { state: 'absent' };
  }

  logs(): Promise<string[]> {
    return Promise.resolve(['(a simulated agent has no logs)']);
  }

  followLogs(_projectId: string, _onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  /**
   * A simulated agent runs no commands, except the two the API sends every agent when its config
   * changes (settings/agentPermissions.ts): the permission policy file and the config reset. It keeps
   * no files, so both succeed with nothing to do.
   */
  exec(_projectId: string, argv: string[]): Promise<ExecResult> {
    const script = argv[0] === 'sh' && argv[1] === '-c' ? argv[2] ?? '' : '';
    if (argv[3] === 'hangar-policy' || script.includes('opencode/opencode.jsonc')) {
      return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
    }
    return Promise.reject(new Error('a simulated agent cannot run commands'));
  }

  async list(): Promise<{ projectId: string; status: RuntimeStatus }[]> {
    const res = await fetch(`${this.simUrl}/_sim/agents`);
    const { agents } = await res.json() as { agents: string[] };
    return agents.map((projectId) => ({ projectId, status: this.running(projectId) }));
  }

  watch(onChange: (projectId: string, status: RuntimeStatus) => void): () => void {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  }

  close(): Promise<void> {
    this.watchers.clear();
    return Promise.resolve();
  }
}

/** The factory to inject as `local`: `startServer(config, log, { factories: { local: simDriverFactory(url) } })`. */
export const simDriverFactory = (simUrl: string): DriverFactory => () => new SimDriver(simUrl);
