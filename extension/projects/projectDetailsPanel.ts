// The host side of the "Project details" webview: one panel per project, kept in step with the
// session's store. Thin: the state comes from projectDetailsModel, the messages from PanelChannel.
import * as vscode from 'vscode';
import { ProjectHostToWebview, ProjectWebviewToHost, type ProjectPanelState } from '../../webviews/protocol/project';
import { ApiError } from '../core/apiError';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelChannel } from '../core/webview/panelChannel';
import { linkTarget, panelState, panelTitle } from './projectDetailsModel';
import { PanelsByProject } from '../core/webview/panelsByProject';
import { resourceRoots, webviewHtml } from '../core/webview/webviewHtml';

const VIEW_TYPE = 'hangarProjectDetails';
const WEBVIEW = 'project';
const ICON = 'media/hangar.svg';

export interface ProjectPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
}

/** What the in-VS-Code tests read through the internal command. */
export interface ProjectPanelProbe {
  title: string;
  visible: boolean;
  ready: boolean;
  readyCount: number;
  lastState: ProjectPanelState | undefined;
}

/** All open Project details panels, keyed by project id. */
export class ProjectDetailsPanels implements vscode.Disposable {
  private readonly panels: PanelsByProject<ProjectDetailsPanel>;

  constructor(deps: ProjectPanelDeps) {
    this.panels = new PanelsByProject((projectId, onDisposed) => new ProjectDetailsPanel(deps, projectId, onDisposed));
  }

  /** Opens the project's panel, or reveals it when it is already open. */
  show(projectId: string): void {
    this.panels.show(projectId);
  }

  probe(projectId: string): ProjectPanelProbe | undefined {
    return this.panels.get(projectId)?.probe();
  }

  dispose(): void {
    this.panels.dispose();
  }
}

class ProjectDetailsPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PanelChannel<ProjectWebviewToHost, ProjectHostToWebview>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private knownName: string | undefined;
  private notFound = false;
  private lookingUp = false;
  private lookupError: string | undefined;
  private disposed = false;

  constructor(private readonly deps: ProjectPanelDeps, private readonly projectId: string, private readonly onDisposed: () => void) {
    const { extensionUri, session, log } = deps;
    this.knownName = session.store.project(projectId)?.name;
    this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, this.knownName ? `Project: ${this.knownName}` : 'Project', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(WEBVIEW).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, ...ICON.split('/'));
    const webview = this.panel.webview;
    this.channel = new PanelChannel(webview, {
      name: `project ${projectId}`,
      incoming: ProjectWebviewToHost,
      outgoing: ProjectHostToWebview,
      log,
      handlers: {
        refresh: async () => {
          this.notFound = false;
          this.lookupError = undefined;
          await vscode.commands.executeCommand('hangar.refresh');
          this.update();
        },
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
    webview.html = webviewHtml({
      name: WEBVIEW,
      title: 'Project details',
      cspSource: webview.cspSource,
      resourceUri: (p) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString(),
      hasStylesheet: true,
    });
    this.subscriptions.push(
      this.channel,
      session.store.onDidChange(() => this.update()),
      session.onDidChangeState(() => this.update()),
      // A hidden webview's document is discarded; shown again it reloads and says `ready` again.
      this.panel.onDidChangeViewState(() => { if (!this.panel.visible) this.channel.reset(); }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.update();
  }

  reveal(): void {
    this.panel.reveal();
  }

  probe(): ProjectPanelProbe {
    const last = this.channel.lastState;
    return {
      title: this.panel.title,
      visible: this.panel.visible,
      ready: this.channel.ready,
      readyCount: this.channel.readyCount,
      lastState: last?.type === 'state' ? last.state : undefined,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private update(): void {
    if (this.disposed) return;
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
    this.panel.title = panelTitle(state, this.knownName);
    this.channel.postState({ type: 'state', state });
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
