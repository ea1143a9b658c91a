import * as vscode from 'vscode';
import type { ActivitySession } from '../../backend/contract';
import { activityRow, type ActivityRowModel } from './activityFormat';
import type { ActivityModel } from './activityModel';
import type { HangarSession } from '../core/hangarSession';
import { markStale, staleSince } from '../core/views/staleRows';

/** One row of the Activity view: a session, or a message (empty, error, not connected). */
export class ActivityTreeItem extends vscode.TreeItem {
  constructor(readonly model: ActivityRowModel, readonly session?: ActivitySession) {
    super(model.label, vscode.TreeItemCollapsibleState.None);
    this.id = model.id;
    this.description = model.description;
    this.tooltip = model.tooltip;
    this.contextValue = model.contextValue;
    const color = model.icon.color ? new vscode.ThemeColor(model.icon.color) : undefined;
    this.iconPath = new vscode.ThemeIcon(model.icon.id, color);
    if (session) {
      const args = [{ projectId: session.projectId, sessionId: session.sessionId }];
      this.command = { command: 'hangar.openSession', title: 'Open Session', arguments: args };
    }
  }
}

const message = (id: string, label: string, icon = 'info'): ActivityRowModel =>
  ({
    id: `activity-message:${id}`, label, description: '', tooltip: label, icon: { id: icon },
    contextValue: 'activity.message',
  });

/** The Activity view: agent sessions across projects, most recently changed first. */
export class ActivityTreeProvider implements vscode.TreeDataProvider<ActivityTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Set when the last fetch failed; shown as an error row over the last known sessions. */
  loadError: string | undefined;
  /** When the shown sessions were fetched (offline, each row says how old it is). */
  loadedAt: number | undefined;

  constructor(
    private readonly session: HangarSession,
    private readonly model: ActivityModel,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions = [
      this.changed,
      model.onDidChange(() => this.changed.fire()),
      session.onDidChangeState(() => this.changed.fire()),
    ];
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: ActivityTreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: ActivityTreeItem): ActivityTreeItem[] {
    if (parent) return [];
    const state = this.session.state.kind;
    const sessions = this.model.sessions;
    const rows: ActivityTreeItem[] = [];
    if (this.loadError) {
      rows.push(new ActivityTreeItem(message('error', `Could not load activity: ${this.loadError}`, 'warning')));
    }
    if (!sessions.length) {
      // Empty: the view's welcome content (package.json) offers Connect.
      if (state === 'disconnected' || state === 'unauthorised') return [];
      if (!this.loadError) {
        rows.push(new ActivityTreeItem(message('empty', 'No agent sessions yet. Start one in a project\'s chat.')));
      }
      return rows;
    }
    const now = this.now();
    const stale = staleSince(this.session.state, this.loadedAt);
    return [...rows, ...sessions.map((s) => {
      const row = activityRow(s, now);
      return new ActivityTreeItem(stale === undefined ? row : markStale(row, stale, now), s);
    })];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
