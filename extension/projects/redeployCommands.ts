import * as vscode from 'vscode';
import type { Operation, Project, RuntimeName, Tier } from '../../backend/contract';
import type { ProjectRowArg, RedeployArgs } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { operationInProgress } from '../core/apiError';
import { showError } from '../core/userErrors';
import { unsyncedChangesOf } from '../sync/syncMessages';
import { askAboutUnsynced } from '../sync/unsyncedGuard';
import { showOperationProgress } from './operationProgress';
import type { Services } from './projectServices';
import { pickProject, projectIdOf } from './projectPicker';
import { redeployPreview } from './redeployPreview';
import { tierPicks } from './treeModel';
import { runtimePicks } from './runtimePicks';

type Handlers = Pick<CommandHandlers, 'hangar.changeTier' | 'hangar.moveToRuntime'>;
type Arg = RedeployArgs | ProjectRowArg | undefined;

/** What the command returns to code and tests: the accepted operation (it keeps running). */
export interface RedeployResult { operation: Operation }

const BUSY = new Set(['deploying', 'starting', 'stopping']);

/** "Hangar: Change Tier…" and "Hangar: Move to Runtime…": pick, preview the impact, then one redeploy. */
export function redeployCommands(s: Services): Handlers {
  const { session } = s;

  async function projectFor(arg: Arg, title: string): Promise<Project | undefined> {
    const id = projectIdOf(arg);
    if (id) return session.store.project(id) ?? await session.api.project(id);
    return pickProject(session, {
      title, placeHolder: 'The project', filter: (p) => !BUSY.has(p.status),
      none: 'every project is busy with an operation', withReason: true,
    });
  }

  async function pickTier(project: Project, tiers: Tier[], wanted?: string): Promise<Tier | undefined> {
    if (wanted) return tiers.find((t) => t.id === wanted) ?? await session.api.tier(wanted);
    const choices = tierPicks(tiers).filter((t) => t.tierId !== project.tierId);
    if (!choices.length) {
      void vscode.window.showInformationMessage(`Hangar: there is no other tier to move "${project.name}" to.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(choices, {
      title: `Change Tier of "${project.name}"`, placeHolder: `Now: ${project.tierId}. The new tier`,
    });
    return picked && tiers.find((t) => t.id === picked.tierId);
  }

  async function pickRuntime(project: Project, wanted?: RuntimeName): Promise<RuntimeName | undefined> {
    if (wanted) return wanted;
    const picks = runtimePicks(await session.api.runtimes()).filter((r) => r.runtime !== project.runtime);
    if (!picks.length) {
      void vscode.window.showInformationMessage(
        `Hangar: this server has no other runtime to move "${project.name}" to.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(picks, {
      title: `Move "${project.name}" to Runtime`, placeHolder: `Now: ${project.runtime}. The runtime to move it to`,
    });
    return picked?.runtime;
  }

  async function confirm(project: Project, tier: Tier | undefined, runtime: RuntimeName | undefined): Promise<boolean> {
    const from = session.store.tier(project.tierId) ?? await session.api.tier(project.tierId).catch(() => undefined);
    const preview = redeployPreview({ project, from, ...(tier ? { to: tier } : {}), ...(runtime ? { runtime } : {}) });
    const answer = await vscode.window.showWarningMessage(
      preview.message, { modal: true, detail: preview.lines.join('\n') }, preview.button);
    return answer === preview.button;
  }

  async function submit(
    project: Project, body: { tierId?: string; runtime?: RuntimeName }, ignoreUnsynced = false,
  ): Promise<RedeployResult | undefined> {
    let accepted: Operation;
    try {
      accepted = await session.api.redeploy(project.id, body, { ignoreUnsynced });
    } catch (e) {
      const unsynced = unsyncedChangesOf(e);
      if (unsynced) {
        const answer = await askAboutUnsynced(project, body.runtime ? 'move' : 'changeTier', unsynced);
        return answer === 'cancel' ? undefined : submit(project, body, answer === 'ignore');
      }
      const busy = operationInProgress(e);
      if (busy) {
        void vscode.window.showWarningMessage(
          `Hangar: "${project.name}" is busy: a ${busy.kind} is running. Try again when it has finished.`);
        return undefined;
      }
      await showError(`Could not ${body.runtime ? 'move' : 'change the tier of'} "${project.name}"`, e, {
        Retry: () => submit(project, body, ignoreUnsynced),
      });
      return undefined;
    }
    s.log.info(`redeploy ${accepted.id} accepted for ${project.id}: ${JSON.stringify(body)}`);
    void showOperationProgress(s, project, accepted, {
      showLogs: () => s.logs.show(project.id, project.name),
      retry: () => submit(session.store.project(project.id) ?? project, body, ignoreUnsynced),
    });
    return { operation: accepted };
  }

  async function run(arg: Arg, what: 'tier' | 'runtime'): Promise<RedeployResult | undefined> {
    const args = arg && 'id' in arg ? arg : undefined;
    const project = await projectFor(arg, what === 'tier' ? 'Change Tier' : 'Move to Runtime');
    if (!project) return undefined;
    const tier = what === 'tier' || args?.tierId
      ? await pickTier(project, await session.api.tiers(), args?.tierId)
      : undefined;
    if (what === 'tier' && !tier) return undefined;
    const runtime = what === 'runtime' || args?.runtime ? await pickRuntime(project, args?.runtime) : undefined;
    if (what === 'runtime' && !runtime) return undefined;
    if (args?.confirm !== true && !(await confirm(project, tier, runtime))) return undefined;
    return submit(project, { ...(tier ? { tierId: tier.id } : {}), ...(runtime ? { runtime } : {}) });
  }

  return {
    'hangar.changeTier': (arg) => run(arg, 'tier'),
    'hangar.moveToRuntime': (arg) => run(arg, 'runtime'),
  };
}
