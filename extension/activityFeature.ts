import * as vscode from 'vscode';
import type { ActivityNotification, HangarEvent } from '../backend/contract';
import { NOTIFICATION_LEVEL, shouldNotify } from './activityFormat';
import { ActivityModel } from './activityModel';
import type { OpenSessionArgs } from './commandIds';
import type { HangarSession } from './hangarSession';
import type { ProjectDetailsPanels } from './panels/projectDetailsPanel';
import type { Logger } from './ports';
import { ActivityTreeProvider } from './views/activityTree';

export const ACTIVITY_VIEW_ID = 'hangar.activity';

export interface ActivityProbe {
  rows: Array<{ id: string; label: string; description: string; tooltip: string; icon: string; contextValue: string }>;
  badge: number;
  visible: boolean;
  notifications: Array<ActivityNotification & { shown: boolean }>;
  opened: OpenSessionArgs[];
}

/**
 * The Activity view, its badge and the notifications: wires the plain ActivityModel to VS Code.
 * Fetches on connect and on every resync/reconnect; events keep it fresh in between.
 */
export class ActivityFeature implements vscode.Disposable {
  readonly model = new ActivityModel();
  readonly tree: ActivityTreeProvider;
  readonly view: vscode.TreeView<unknown>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly recentNotifications: ActivityProbe['notifications'] = [];
  private readonly opened: OpenSessionArgs[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly session: HangarSession, private readonly panels: ProjectDetailsPanels, private readonly log: Logger) {
    this.tree = new ActivityTreeProvider(session, this.model);
    this.view = vscode.window.createTreeView(ACTIVITY_VIEW_ID, { treeDataProvider: this.tree });
    this.model.setVisible(this.view.visible);
    this.subscriptions = [
      this.tree,
      this.view,
      this.view.onDidChangeVisibility((e) => {
        this.model.setVisible(e.visible);
        this.updateTicker();
      }),
      this.model.onDidChange(() => {
        this.updateBadge();
        this.updateTicker();
      }),
      session.onDidReceiveEvent((e) => this.onEvent(e)),
      session.onDidChangeState((s) => {
        if (s.kind === 'connected') void this.load();
        if (s.kind === 'disconnected' || s.kind === 'unauthorised') this.model.clear();
      }),
      // A full refetch of projects (connect, reconnect, resync, Refresh) refetches activity too.
      session.store.onDidChange(() => {
        if (session.store.projectsLoad.kind === 'loading') void this.load();
      }),
    ];
    if (session.state.kind === 'connected') void this.load();
  }

  /** GET /api/activity (first page: the view shows the most recent sessions). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      this.model.beginLoad();
      try {
        const page = await this.session.api.activity({ limit: 100 });
        this.tree.loadError = undefined;
        this.model.finishLoad(page.items);
      } catch (e) {
        this.tree.loadError = e instanceof Error ? e.message : String(e);
        this.log.warn(`activity: could not load sessions: ${this.tree.loadError}`);
        this.model.abortLoad();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** hangar.openSession. The chat panel is not there yet: opens the project's details and logs the session. */
  async openSession(args: OpenSessionArgs | undefined): Promise<boolean> {
    if (!args?.projectId || !args.sessionId) throw new Error('hangar.openSession needs {projectId, sessionId}');
    this.opened.push(args);
    this.log.info(`open session ${args.sessionId} of project ${args.projectId} (chat panel pending: showing the project's details)`);
    await vscode.commands.executeCommand('hangar.openProjectDetails', { id: args.projectId });
    return true;
  }

  probe(): ActivityProbe {
    return {
      rows: this.tree.getChildren().map((i) => ({
        id: i.model.id, label: i.model.label, description: i.model.description, tooltip: i.model.tooltip, icon: i.model.icon.id, contextValue: i.model.contextValue,
      })),
      badge: this.model.badgeCount,
      visible: this.view.visible,
      notifications: [...this.recentNotifications],
      opened: [...this.opened],
    };
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.subscriptions) d.dispose();
  }

  private onEvent(e: HangarEvent): void {
    const note = this.model.apply(e);
    if (note) this.notify(note);
  }

  private notify(note: ActivityNotification): void {
    const shown = shouldNotify(note.projectId, this.activePanelProjectId());
    this.recentNotifications.push({ ...note, shown });
    if (this.recentNotifications.length > 50) this.recentNotifications.shift();
    this.log.info(`notification ${note.kind} for session ${note.sessionId}${shown ? '' : ' (not shown: its project panel is active)'}`);
    if (!shown) return;
    const show = { info: vscode.window.showInformationMessage, warning: vscode.window.showWarningMessage, error: vscode.window.showErrorMessage }[NOTIFICATION_LEVEL[note.kind]];
    void show(note.text, 'Open Session').then((choice) => {
      if (choice === 'Open Session') void vscode.commands.executeCommand('hangar.openSession', { projectId: note.projectId, sessionId: note.sessionId });
    });
  }

  /** The project whose panel is the active editor tab, if any. */
  private activePanelProjectId(): string | undefined {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (!tab || !(tab.input instanceof vscode.TabInputWebview)) return undefined;
    return this.session.store.projects.find((p) => {
      const probe = this.panels.probe(p.id);
      return probe?.visible && probe.title === tab.label;
    })?.id;
  }

  private updateBadge(): void {
    const n = this.model.badgeCount;
    this.view.badge = n ? { value: n, tooltip: `${n} session${n === 1 ? '' : 's'} finished, failed or need approval` } : undefined;
  }

  /** While a session runs and the view is visible, its duration ticks. */
  private updateTicker(): void {
    const needed = this.view.visible && this.model.sessions.some((s) => s.status === 'running' || s.status === 'waiting_for_permission');
    if (needed && !this.ticker) this.ticker = setInterval(() => this.tree.refresh(), 1000);
    if (!needed && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
