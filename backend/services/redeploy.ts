import type { Operation, ProjectRedeploy } from '../contract';
import { badRequest, conflict } from '../errors';
import type { Lifecycle } from '../runtime/lifecycle';
import type { RuntimeDrivers } from '../runtime/drivers';
import type { Progress } from '../runtime/driver';
import type { OperationService } from './operations';
import type { ProjectService } from './projects';
import type { DomainBus } from '../events/domainBus';
import type { TierService } from './tiers';

/** Moves a project's workspace and agent data from one runtime to another (backend/runtime/relocation.ts). */
export interface Relocator {
  /** Why this move cannot be made, or undefined when it can. */
  problem(from: string, to: string): string | undefined;
  move(projectId: string, from: string, to: string, progress: Progress, signal: AbortSignal): Promise<void>;
  /** Once the project runs on its new runtime: what is left on the old one. */
  cleanUp(projectId: string, from: string, progress: Progress): Promise<void>;
}

/** What the sync guard offers: 409 unsynced_changes when the workspace has work not on GitHub. */
interface UnsyncedGuard {
  guard(ownerId: string, projectId: string, what: string, ignore: boolean): Promise<void>;
}

/**
 * Change Tier… and Move to Runtime…: one force redeploy under the project's operation slot (409 while
 * another operation runs), guarded for unpushed work like Stop. The workspace and opencode's data dir
 * live outside the container (docker volumes, the local project folder), so the agent's sessions survive.
 */
export class RedeployService {
  constructor(
    private readonly projects: ProjectService,
    private readonly tiers: TierService,
    private readonly drivers: RuntimeDrivers,
    private readonly lifecycle: Lifecycle,
    private readonly operations: OperationService,
    private readonly sync: UnsyncedGuard,
    private readonly bus: DomainBus,
    private readonly relocator?: Relocator,
  ) {}

  async submit(ownerId: string, projectId: string, body: ProjectRedeploy, ignoreUnsynced: boolean): Promise<Operation> {
    const row = await this.projects.ownedRow(ownerId, projectId);
    const tier = body.tierId !== undefined && body.tierId !== row.tier_id ? await this.tiers.requireUsable(body.tierId) : undefined;
    const runtime = body.runtime !== undefined && body.runtime !== row.runtime ? body.runtime : undefined;
    if (!tier && !runtime) {
      throw badRequest('nothing_to_change', `"${row.name}" is already on tier ${row.tier_id} and the ${row.runtime} runtime: name another tier or runtime.`);
    }
    if (runtime) {
      if (!this.drivers.get(runtime)) throw conflict('runtime_unavailable', `The ${runtime} runtime is not available on this server: ${this.drivers.problem(runtime)}.`);
      const problem = this.relocator ? this.relocator.problem(row.runtime, runtime) : 'moving a project between runtimes is not set up on this server';
      if (problem) throw conflict('move_unsupported', `"${row.name}" cannot move from ${row.runtime} to ${runtime}: ${problem}.`);
    }
    const deployed = row.status !== 'not_deployed';
    if (deployed) await this.sync.guard(ownerId, projectId, runtime ? 'move' : 'change the tier of', ignoreUnsynced);
    return this.operations.submitTask(ownerId, projectId, 'deploy', true, async (progress, signal) => {
      if (tier) {
        progress(`Changing the tier from ${row.tier_id} to ${tier.id} (${tier.cpus} CPU, ${tier.memory} memory, ${tier.storageGb} GB)`);
        await this.projects.update(ownerId, projectId, { tierId: tier.id });
        await this.bus.emit('project.tierChanged', { projectId, from: row.tier_id, to: tier.id });
      }
      if (!deployed && !runtime) {
        progress('Not deployed yet: the new tier applies at its first deploy');
        return { ok: true, message: 'tier changed' };
      }
      try {
        if (runtime) {
          if (deployed) await this.relocator!.move(projectId, row.runtime, runtime, progress, signal);
          await this.projects.setRuntime(projectId, runtime);
          progress(`The project now runs on the ${runtime} runtime`);
          if (!deployed) return { ok: true, message: 'runtime changed' };
        }
        await this.lifecycle.run('deploy', projectId, true, progress, signal);
        if (runtime) await this.relocator!.cleanUp(projectId, row.runtime, progress);
        return { ok: true, message: 'redeployed' };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (signal.aborted) await this.lifecycle.afterCancel(projectId).catch(() => undefined);
        else await this.lifecycle.afterFailure('deploy', projectId, message).catch(() => undefined);
        return { ok: false, message };
      }
    });
  }
}
