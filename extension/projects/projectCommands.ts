import * as vscode from 'vscode';
import { ProjectName, type DefaultModel, type Project, type SyncStatus, type Tier } from '../../backend/contract';
import { ApiError } from '../core/apiError';
import type { CreateProjectArgs, DeleteProjectArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { CONFIGURE_PROVIDER_PICK, modelPicks, projectProviderPicks } from '../providers/providersModel';
import { statusLabel, tierPicks } from './treeModel';
import { showError } from '../core/userErrors';
import { unsyncedChangesOf } from '../sync/syncMessages';
import { askAboutUnsynced, confirmDelete, unsyncedOf } from '../sync/unsyncedGuard';
import { runtimePicks } from './runtimePicks';
import type { Services } from './projectServices';

type ProjectHandlers = Pick<CommandHandlers, 'hangar.refresh' | 'hangar.loadMoreProjects' | 'hangar.createProject' | 'hangar.deleteProject'>;

export function projectCommands(s: Services): ProjectHandlers {
  const { session } = s;

  async function refresh(): Promise<void> {
    if (session.state.kind === 'disconnected') return;
    if (session.state.kind === 'offline') {
      // The user wants it now: probe at once instead of waiting for the stream's backoff.
      await session.testConnection().catch(() => undefined);
    }
    await session.refresh();
  }

  async function tiersForPick(): Promise<Tier[]> {
    return session.store.tiers.length ? session.store.tiers : session.api.tiers();
  }

  async function createProject(args?: CreateProjectArgs): Promise<Project | undefined> {
    const api = session.api; // throws "not connected" before any prompt
    const name = args?.name ?? await vscode.window.showInputBox({
      title: 'Create Project (1/3): name',
      prompt: 'A name for the project, shown in the sidebar',
      placeHolder: 'my-service',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = ProjectName.safeParse(v);
        return r.success ? undefined : r.error.issues[0]?.message ?? 'invalid name';
      },
    });
    if (name === undefined) return undefined;

    let tierId = args?.tierId;
    let runtime = args?.runtime;
    let providerOverride = args?.providerOverride ?? null;
    let modelId: string | null = null;
    if (!args) {
      const picks = tierPicks(await tiersForPick());
      const tier = await vscode.window.showQuickPick(picks, {
        title: `Create Project (2/3): container tier for "${name.trim()}"`,
        placeHolder: 'CPU, memory and storage of the project\'s container',
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!tier) return undefined;
      tierId = tier.tierId;
      // Only when the server drives more than one runtime: where the project's agent runs.
      const runtimes = runtimePicks(await api.runtimes().catch(() => []));
      if (runtimes.length) {
        const picked = await vscode.window.showQuickPick(runtimes, {
          title: `Create Project: runtime for "${name.trim()}"`, placeHolder: 'Where the project\'s agent runs (a redeploy keeps it there)', ignoreFocusOut: true,
        });
        if (!picked) return undefined;
        runtime = picked.runtime;
      }
      const listProviders = () => Promise.all([
        api.providers({ configured: true }).then((l) => l.items),
        api.defaultModel(),
      ]).catch((e: unknown) => {
        s.log.warn(`create project: could not list providers: ${e instanceof Error ? e.message : String(e)}`);
        return [[], { providerId: null, modelId: null }] as const;
      });
      let provider: ReturnType<typeof projectProviderPicks>[number] | typeof CONFIGURE_PROVIDER_PICK | undefined;
      let def: DefaultModel;
      // "Configure a Provider…" runs that command and comes back to this step with the new list.
      do {
        const [configured, current] = await listProviders();
        def = current;
        provider = await vscode.window.showQuickPick([...projectProviderPicks([...configured], def), CONFIGURE_PROVIDER_PICK], {
          title: 'Create Project (3/3): model provider', placeHolder: 'The provider the project\'s agents use', matchOnDescription: true, ignoreFocusOut: true,
        });
        if (!provider) return undefined;
        if (provider === CONFIGURE_PROVIDER_PICK) await vscode.commands.executeCommand('hangar.configureProvider');
      } while (provider === CONFIGURE_PROVIDER_PICK);
      providerOverride = provider.providerId;
      if (providerOverride) {
        // The chosen provider's models; the project keeps that model (PUT /model) once it exists.
        const models = await api.providerModels(providerOverride);
        const model = models.length ? await vscode.window.showQuickPick(modelPicks(models, def, providerOverride), {
          title: `Create Project (3/3): model of ${provider.label}`, matchOnDescription: true, ignoreFocusOut: true,
        }) : undefined;
        if (models.length && !model) return undefined;
        modelId = model?.modelId ?? null;
      }
    }

    try {
      const project = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Creating project "${name.trim()}"…` },
        () => api.createProject({
          name: name.trim(),
          ...(tierId ? { tierId } : {}),
          ...(runtime ? { runtime } : {}),
          providerOverride,
          repository: args?.repository ?? null,
        }));
      session.store.upsertProject(project);
      if (providerOverride && modelId) await api.setProjectModel(project.id, { providerId: providerOverride, modelId });
      s.log.info(`created project ${project.id} (${project.name}) on tier ${project.tierId}, runtime ${project.runtime}`);
      void vscode.window.showInformationMessage(`Hangar: project "${project.name}" created on tier ${project.tierId}.`);
      return project;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 400)) {
        const next = e.status === 409 ? 'Choose Another Name' : 'Try Again';
        await showError(`Could not create "${name.trim()}"`, e, { [next]: () => createProject() });
      } else {
        await showError(`Could not create "${name.trim()}"`, e, { Retry: () => createProject(args) });
      }
      return undefined;
    }
  }

  async function pickProject(): Promise<Project | undefined> {
    const projects = session.store.projects.length && !session.hasMoreProjects ? session.store.projects : await session.api.projects();
    if (!projects.length) {
      void vscode.window.showInformationMessage('Hangar: there are no projects to delete.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      projects.map((p) => ({ label: p.name, description: `${p.tierId} · ${statusLabel(p.status)}`, project: p })),
      { title: 'Delete Project', placeHolder: 'The project to delete', matchOnDescription: true },
    );
    return picked?.project;
  }

  /** The sync status, or undefined when it does not come within `ms` (the API's guard still applies). */
  async function statusWithin(projectId: string, ms: number): Promise<SyncStatus | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), ms); });
    try {
      return await Promise.race([session.api.syncStatus(projectId).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function deleteProject(arg?: DeleteProjectArgs | ProjectRowArg, ignoreUnsynced = false): Promise<boolean> {
    const api = session.api;
    const id = arg && 'projectId' in arg ? arg.projectId : arg?.id;
    const project = id ? session.store.project(id) ?? await api.project(id) : await pickProject();
    if (!project) return false;
    const confirmed = arg && 'confirm' in arg && arg.confirm === true;
    let deleteVolumes = arg && 'deleteVolumes' in arg && arg.deleteVolumes === true;
    if (!confirmed) {
      // One modal: the confirmation already lists the work not on GitHub (the API's guard then
      // answers 409 only when something changed in between).
      const answer = await confirmDelete(project, project.repository ? unsyncedOf(await statusWithin(project.id, 3000)) : undefined);
      if (!answer.go) return false;
      deleteVolumes = answer.deleteVolumes;
      ignoreUnsynced = answer.ignoreUnsynced;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Deleting project "${project.name}"…` },
        () => api.deleteProject(project.id, { ...(deleteVolumes ? { deleteVolumes: { slug: project.slug } } : {}), ...(ignoreUnsynced ? { ignoreUnsynced } : {}) }));
    } catch (e) {
      // Work not on GitHub (issue #6): warn with the list, offer to push first.
      const unsynced = unsyncedChangesOf(e);
      if (unsynced) {
        const answer = await askAboutUnsynced(project, 'delete', unsynced);
        return answer === 'cancel' ? false : deleteProject({ id: project.id, confirm: true, deleteVolumes }, answer === 'ignore');
      }
      if (e instanceof ApiError && e.status === 404) {
        session.store.removeProject(project.id);
        void vscode.window.showInformationMessage(`Hangar: project "${project.name}" was already deleted.`);
        return true;
      }
      await showError(`Could not delete "${project.name}"`, e, { Retry: () => deleteProject({ id: project.id, confirm: true, deleteVolumes }) });
      return false;
    }
    session.store.removeProject(project.id);
    s.log.info(`deleted project ${project.id} (${project.name})`);
    void vscode.window.showInformationMessage(`Hangar: project "${project.name}" deleted.`);
    return true;
  }

  return {
    'hangar.refresh': refresh,
    'hangar.loadMoreProjects': async () => {
      try {
        await session.loadMoreProjects();
      } catch (e) {
        await showError('Could not load more projects', e, {});
      }
    },
    'hangar.createProject': createProject,
    // Not deleteProject itself: a tree's context menu passes the selection as a second argument.
    'hangar.deleteProject': (arg) => deleteProject(arg),
  };
}
