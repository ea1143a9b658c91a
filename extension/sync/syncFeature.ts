import * as vscode from 'vscode';
import type { HangarEvent, SyncStatus } from '../../backend/contract';
import type { CommandHandlers } from '../core/commandRegistry';
import type { HangarSession } from '../core/hangarSession';
import type { OperationTracker } from '../projects/operationTracker';
import type { Logger } from '../core/ports';
import type { SecretRegistry } from '../core/redact';
import type { ProjectsTreeProvider } from '../projects/projectsTree';
import { githubCommands } from './githubCommands';
import { Notices } from './notices';
import { CONFLICT_SCHEME, ConflictFiles, REMOTE_SCHEME, RemoteFileProvider } from './remoteFiles';
import { syncCommands } from './syncCommands';
import { reportImportFailure } from './syncReport';
import { SyncModel } from './syncModel';
import { SyncStatusBar } from './syncStatusBar';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import type { SYNC_COMMANDS } from './syncManifest';

export interface SyncFeatureDeps {
  session: HangarSession;
  log: Logger;
  tracker: OperationTracker;
  secretRegistry: SecretRegistry;
  projectsTree: ProjectsTreeProvider;
  /** Project rows and, below them, the Agent nodes (extension/agentFiles): both carry projectId. */
  projectsView: vscode.TreeView<vscode.TreeItem & { projectId?: string }>;
  /** The chat panels: the project whose chat is active is the focused one. */
  chat: { activeProjectId(): string | undefined; onDidChangeActive(l: () => void): vscode.Disposable };
}

/** At most this many projects' statuses are fetched after a full refresh (the rest come by events or focus). */
const PREFETCH_LIMIT = 25;

/**
 * GitHub sync in VS Code: the status bar of the focused project, sync state on the project rows, the
 * sync commands and the conflict guidance. Wires the plain SyncModel to VS Code.
 */
export class SyncFeature implements vscode.Disposable, Feature<(typeof SYNC_COMMANDS)[number]> {
  readonly id = 'sync';
  readonly disposables: vscode.Disposable[] = [this];
  readonly commands: Pick<CommandHandlers, (typeof SYNC_COMMANDS)[number]>;
  readonly model = new SyncModel();
  /** The focused project's status bar item. */
  readonly statusBar = new SyncStatusBar();
  /** The sync notifications (the commands raise them). */
  readonly notices: Notices;
  private readonly subscriptions: vscode.Disposable[];
  private readonly loading = new Map<string, Promise<SyncStatus | undefined>>();
  private readonly ownOperations = new Set<string>();
  private readonly conflictSides: ConflictFiles;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly d: SyncFeatureDeps) {
    this.notices = new Notices(d.log);
    this.conflictSides = new ConflictFiles(async (projectId, file, content) => {
      await d.session.api.syncResolve(projectId, file, content);
      d.log.info(`sync: saved the resolution of ${file} in ${projectId}`);
      void this.load(projectId);
    });
    const { model } = this;
    const { session } = d;
    d.projectsTree.setSyncSource({ status: (id) => model.status(id), onDidChange: (l) => new vscode.Disposable(model.onDidChange(l).dispose) });
    this.subscriptions = [
      this.statusBar,
      vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, new RemoteFileProvider(session)),
      vscode.workspace.registerFileSystemProvider(CONFLICT_SCHEME, this.conflictSides, { isCaseSensitive: true }),
      new vscode.Disposable(model.onDidChange(() => this.render()).dispose),
      new vscode.Disposable(session.store.onDidChange(() => this.onStoreChange()).dispose),
      new vscode.Disposable(session.onDidReceiveEvent((e) => this.onEvent(e)).dispose),
      new vscode.Disposable(session.onDidChangeState((s) => {
        if (s.kind === 'disconnected' || s.kind === 'unauthorised') this.model.clear();
        this.render();
      }).dispose),
      d.projectsView.onDidChangeSelection((e) => {
        const id = e.selection.find((i) => i.projectId !== undefined)?.projectId;
        if (id) this.focus(id, 'tree');
      }),
      d.chat.onDidChangeActive(() => {
        const id = d.chat.activeProjectId();
        if (id) this.focus(id, 'chat');
      }),
    ];
    // Relative times ("fetched 2 min ago") in the tooltip age while the item is shown.
    this.ticker = setInterval(() => { if (this.statusBar.view.visible) this.render(); }, 30_000);
    this.render();
    this.commands = this.handlers();
  }

  private handlers(): Pick<CommandHandlers, (typeof SYNC_COMMANDS)[number]> {
    return {
      ...syncCommands({
        session: this.d.session, model: this.model, tracker: this.d.tracker, log: this.d.log, notices: this.notices,
        refreshStatus: (id) => this.load(id),
        ownOperations: this.ownOperations, conflictSides: this.conflictSides,
      }),
      ...githubCommands(this.d.session, this.d.log, this.d.secretRegistry, this.notices),
    };
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.model.dispose();
  }

  private focus(projectId: string, source: 'chat' | 'tree' | 'code'): void {
    if (this.model.setFocus(projectId, source)) {
      this.d.log.debug(`sync: focused project ${projectId} (${source})`);
      const project = this.d.session.store.project(projectId);
      if (project?.repository) void this.load(projectId);
    }
  }

  /** GET /api/projects/:id/sync into the model; concurrent calls for a project share one request. */
  private load(projectId: string): Promise<SyncStatus | undefined> {
    const running = this.loading.get(projectId);
    if (running) return running;
    const p = (async () => {
      try {
        const status = await this.d.session.api.syncStatus(projectId);
        this.model.set(status);
        return status;
      } catch (e) {
        this.d.log.warn(`sync: could not load the status of ${projectId}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      } finally {
        this.loading.delete(projectId);
      }
    })();
    this.loading.set(projectId, p);
    return p;
  }

  private onEvent(e: HangarEvent): void {
    this.model.apply(e);
    // The automatic import after a deploy is an operation nobody here started: its failure is told
    // with the reason and Retry Import (a command's own import reports itself).
    if (e.type === 'sync.result' && !this.ownOperations.delete(e.data.operationId) && e.data.result.action === 'import') {
      const project = this.d.session.store.project(e.data.projectId);
      if (!e.data.result.ok && project) reportImportFailure(this.notices, project, e.data.result);
      else if (project) void vscode.window.setStatusBarMessage(`$(check) Hangar: imported the repository into "${project.name}"`, 5000);
    }
    // A project that just got (or lost) a repository: its status changes meaning.
    if ((e.type === 'project.updated' || e.type === 'project.created') && e.data.project.repository) void this.load(e.data.project.id);
  }

  private lastLoad: number | undefined;

  /**
   * After each full refetch (connect, reconnect, resync, Refresh, the backstop poll): the focused
   * project's status, and those not known yet. Events keep the others fresh.
   */
  private onStoreChange(): void {
    const load = this.d.session.store.projectsLoad;
    if (load.kind === 'loaded' && load.at !== this.lastLoad) {
      this.lastLoad = load.at;
      const focused = this.model.focused;
      const withRepo = this.d.session.store.projects.filter((p) => p.repository && (p.id === focused || !this.model.status(p.id)));
      const ordered = [...withRepo.filter((p) => p.id === focused), ...withRepo.filter((p) => p.id !== focused)].slice(0, PREFETCH_LIMIT);
      void (async () => { for (const p of ordered) await this.load(p.id); })();
    }
    if (this.model.focused && !this.d.session.store.project(this.model.focused) && load.kind === 'loaded') this.model.remove(this.model.focused);
    this.render();
  }

  private render(): void {
    const id = this.model.focused;
    const connected = this.d.session.state.kind !== 'disconnected' && this.d.session.state.kind !== 'unauthorised';
    const project = id && connected ? this.d.session.store.project(id) : undefined;
    this.statusBar.render(project, project ? this.model.status(project.id) : undefined);
  }
}

/** Built once a server answers (the status bar follows the focused project) or on first use. */
export async function createSyncFeature(core: FeatureCore): Promise<SyncFeature> {
  const [projects, chat] = await Promise.all([core.feature('projects'), core.feature('chat')]);
  return new SyncFeature({
    session: core.session, log: core.log, secretRegistry: core.secretRegistry, tracker: projects.tracker,
    projectsTree: projects.projectsTree, projectsView: projects.projectsView, chat: chat.panels,
  });
}
