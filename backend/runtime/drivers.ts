import type { RuntimeDriver } from './driver';

export type RuntimeName = RuntimeDriver['name'];
export const RUNTIME_NAMES: readonly RuntimeName[] = ['local', 'docker', 'coolify'];

/** What makes each runtime available, for one that is not. */
const HOW_TO_ENABLE: Record<RuntimeName, string> = {
  local: 'the local runtime is always available',
  docker: 'the docker runtime is not configured: set DOCKER_HOST to a docker engine (or HANGAR_RUNTIME=docker) and restart the API',
  coolify: 'the coolify runtime is not configured: set HANGAR_COOLIFY_URL and the other HANGAR_COOLIFY_* settings and restart the API',
};

export interface RuntimeAvailability {
  name: RuntimeName;
  /** HANGAR_RUNTIME: where new projects go unless Create Project says otherwise. */
  isDefault: boolean;
  available: boolean;
  /** Why it is not available (not configured, bad configuration). */
  problem?: string;
}

/**
 * Every runtime this API drives at once: local always, docker and coolify when configured (or
 * when a project still lives there). Each project is driven by the runtime it was deployed on
 * (projects.runtime); HANGAR_RUNTIME only names the default for new projects.
 */
export class RuntimeDrivers {
  constructor(
    readonly defaultName: RuntimeName,
    private readonly drivers: ReadonlyMap<RuntimeName, RuntimeDriver>,
    private readonly problems: ReadonlyMap<RuntimeName, string>,
  ) {}

  get(name: string): RuntimeDriver | undefined {
    return this.drivers.get(name as RuntimeName);
  }

  /** The driver for a runtime, or an error a person can act on. */
  require(name: string): RuntimeDriver {
    const d = this.get(name);
    if (d) return d;
    throw new Error(this.problem(name));
  }

  problem(name: string): string {
    return this.problems.get(name as RuntimeName)
      ?? HOW_TO_ENABLE[name as RuntimeName]
      ?? `the ${name} runtime is not configured on this server (HANGAR_RUNTIME=${this.defaultName}); configure it again to reach projects deployed there`;
  }

  get default(): RuntimeDriver | undefined {
    return this.get(this.defaultName);
  }

  all(): RuntimeDriver[] {
    return [...this.drivers.values()];
  }

  availability(): RuntimeAvailability[] {
    return RUNTIME_NAMES.map((name) => {
      const available = this.drivers.has(name);
      const problem = available ? undefined : this.problems.get(name) ?? HOW_TO_ENABLE[name];
      return { name, isDefault: name === this.defaultName, available, ...(problem ? { problem } : {}) };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((d) => d.close()));
  }
}
