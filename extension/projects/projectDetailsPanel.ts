// The host side of the "Project details" webview: one panel per project, kept in step with the
// session's store. Thin: the state comes from projectDetailsModel, the page and messages from PanelHost.
import * as vscode from 'vscode';
import { ProjectHostToWebview, ProjectWebviewToHost } from '../../webviews/protocol/project';
import { ApiError } from '../core/apiError';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelHost } from '../core/webview/panelHost';
import { linkTarget, panelState, panelTitle } from './projectDetailsModel';
import { PanelsByProject } from '../core/webview/panelsByProject';
import { ProjectTimeline } from './projectTimeline';

export interface ProjectPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
}

/** All open Project details panels, keyed by project id. */
export class ProjectDetailsPanels implements vscode.Disposable {
  readonly panels: PanelsByProject<ProjectDetailsPanel>;

  constructor(deps: ProjectPanelDeps) {
    this.panels = new PanelsByProject((projectId, onDisposed) => new ProjectDetailsPanel(deps, projectId, onDisposed));
  }

  /** Opens the project's panel, or reveals it when it is already open. */
  show(projectId: string): void {
    this.panels.show(projectId);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class ProjectDetailsPanel {
  readonly host: PanelHost<ProjectWebviewToHost, ProjectHostToWebview>;
  private knownName: string | undefined;
  private notFound = false;
  private lookingUp = false;
  private lookupError: string | undefined;
  private readonly timeline: ProjectTimeline;
  /** The status the timeline was last loaded at: a change (an operation, a crash) reloads it. */
  private timelineStatus: string | undefined;

  constructor(private readonly deps: ProjectPanelDeps, private readonly projectId: string, onDisposed: () => void) {
    const { session } = deps;
    this.knownName = session.store.project(projectId)?.name;
    this.timeline = new ProjectTimeline(session.api, projectId, () => this.update());
    this.host = new PanelHost(deps, {
      viewType: 'hangarProjectDetails',
      webview: 'project',
      title: this.knownName ? `Project: ${this.knownName}` : 'Project',
      pageTitle: 'Project details',
      icon: 'media/hangar.svg',
      name: `project ${projectId}`,
      incoming: ProjectWebviewToHost,
      outgoing: ProjectHostToWebview,
      handlers: {
        refresh: async () => {
          this.notFound = false;
          this.lookupError = undefined;
          await vscode.commands.executeCommand('hangar.refresh');
          this.update();
          await this.timeline.reload();
        },
        loadTimeline: async ({ kinds, more }) => (more ? this.timeline.more() : this.timeline.reload(kinds)),
        deleteProject: async () => {
          // The command asks for confirmation, reports its own errors and updates the store.
          await vscode.commands.executeCommand('hangar.deleteProject', { id: projectId });
        },
        openLink: async ({ link }) => {
          const project = session.store.project(projectId);
          if (!project) throw new Error('The project is not loaded.');
          const target = linkTarget(project, link, session.serverUrl);
          if ('error' in target) throw new Error(target.error);
          const opened = await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
          if (!opened) throw new Error(`Could not open ${target.url}`);
        },
      },
    });
    this.host.onDidDispose(onDisposed);
    this.host.own(
      session.store.onDidChange(() => this.update()),
      session.onDidChangeState(() => this.update()),
    );
    this.update();
  }

  private reloadTimeline(): void {
    this.timeline.reload().catch((e: unknown) => this.deps.log.warn(`project panel: timeline: ${String(e)}`));
  }

  reveal(): void {
    this.host.reveal();
  }

  dispose(): void {
    this.host.dispose();
  }

  private update(): void {
    if (this.host.disposed) return;
    const { store, state: connection } = this.deps.session;
    const project = store.project(this.projectId);
    if (project) {
      this.knownName = project.name;
      this.notFound = false;
      this.lookupError = undefined;
    }
    let state = panelState({
      connection,
      projectsLoad: store.projectsLoad,
      project,
      tier: project ? store.tier(project.tierId) : undefined,
      knownName: this.knownName,
      notFound: this.notFound,
    });
    if (state.kind === 'deleted' && this.knownName === undefined && !this.notFound) {
      // Opened by id and never seen in the list: ask the server before calling it deleted.
      state = this.lookupError ? { kind: 'unavailable', message: this.lookupError } : { kind: 'loading' };
      if (!this.lookupError) void this.lookUp();
    }
    if (state.kind === 'project') {
      if (state.project.status !== this.timelineStatus) {
        this.timelineStatus = state.project.status;
        this.reloadTimeline();
      }
      const timeline = this.timeline.view;
      if (timeline) state = { ...state, timeline };
    }
    this.host.title = panelTitle(state, this.knownName);
    this.host.channel.postState({ type: 'state', state });
  }

  private async lookUp(): Promise<void> {
    if (this.lookingUp) return;
    this.lookingUp = true;
    try {
      const project = await this.deps.session.api.project(this.projectId);
      this.deps.session.store.upsertProject(project); // the store's change event updates the panel
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.notFound = true;
      } else {
        this.lookupError = `Could not load the project: ${e instanceof Error ? e.message : String(e)}`;
        this.deps.log.warn(`project panel: ${this.lookupError}`);
      }
      this.update();
    } finally {
      this.lookingUp = false;
    }
  }
}
