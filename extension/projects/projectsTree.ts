import * as vscode from 'vscode';
import type { SyncStatus } from '../../backend/contract';
import type { AgentState } from '../activity/activityModel';
import type { HangarSession } from '../core/hangarSession';
import { projectRow, viewRows } from './treeModel';
import { RowTreeItem } from '../core/views/rowTreeItem';

/** The Projects view: one row per project, kept fresh by the session's store. */
export class ProjectsTreeProvider implements vscode.TreeDataProvider<RowTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private syncSource: { status(projectId: string): SyncStatus | undefined } | undefined;
  private agentSource: { agentState(projectId: string): AgentState | undefined } | undefined;

  constructor(private readonly session: HangarSession) {
    this.subscriptions = [
      this.changed,
      session.store.onDidChange(() => this.changed.fire()),
      session.onDidChangeState(() => this.changed.fire()),
    ];
  }

  /** The sync state shown on each row (extension/sync); the tree re-renders when it changes. */
  setSyncSource(source: { status(projectId: string): SyncStatus | undefined; onDidChange(l: () => void): vscode.Disposable }): void {
    this.syncSource = source;
    this.subscriptions.push(source.onDidChange(() => this.changed.fire()));
    this.changed.fire();
  }

  /** The agent state shown next to each running project's container state (the Activity model). */
  setAgentSource(source: { agentState(projectId: string): AgentState | undefined; onDidChange(l: () => void): { dispose(): void } }): void {
    this.agentSource = source;
    this.subscriptions.push(source.onDidChange(() => this.changed.fire()));
    this.changed.fire();
  }

  /** Rows are top-level (TreeView.reveal needs this to select one). */
  getParent(): undefined {
    return undefined;
  }

  getTreeItem(item: RowTreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: RowTreeItem): RowTreeItem[] {
    if (parent) return [];
    const { store } = this.session;
    return viewRows('projects', this.session.state, store.projectsLoad, store.projects, (p) => projectRow(p, store.tier(p.tierId), this.syncSource?.status(p.id), this.agentSource?.agentState(p.id)))
      .map((row) => new RowTreeItem(row, row.id.startsWith('project:') ? row.id.slice('project:'.length) : undefined));
  }

  /** The names of the projects the view shows (for tests and diagnostics). */
  projectNames(): string[] {
    return this.getChildren().filter((i) => i.projectId !== undefined).map((i) => i.model.label);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
