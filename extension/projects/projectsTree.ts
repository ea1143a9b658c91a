import * as vscode from 'vscode';
import type { SyncStatus } from '../../backend/contract';
import type { AgentState } from '../activity/activityModel';
import type { HangarSession } from '../core/hangarSession';
import { loadMoreRow, projectRow, viewRows } from './treeModel';
import { RowTreeItem } from '../core/views/rowTreeItem';
import { withQueuedNote, type QueuedAction } from './queuedActions';
import { withGapNote } from './gapNotes';

/** What is shown below a project row (the Agent node, extension/agentFiles), and below those items. */
export interface ProjectChildren {
  children(parent: vscode.TreeItem & { projectId?: string }): Promise<vscode.TreeItem[]>;
  onDidChange(l: () => void): vscode.Disposable;
}

/** The Projects view: one row per project, kept fresh by the session's store. */
export class ProjectsTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private syncSource: { status(projectId: string): SyncStatus | undefined } | undefined;
  private agentSource: { agentState(projectId: string): AgentState | undefined } | undefined;
  private childSource: ProjectChildren | undefined;
  private queuedSource: { forProject(projectId: string): QueuedAction | undefined } | undefined;
  private gapSource: { forProject(projectId: string): string | undefined } | undefined;

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

  /** The Start/Stop queued while offline, noted on its project's row (queuedActions.ts). */
  setQueuedSource(source: {
    forProject(projectId: string): QueuedAction | undefined;
    onDidChange(l: () => void): { dispose(): void };
  }): void {
    this.queuedSource = source;
    this.subscriptions.push(source.onDidChange(() => this.changed.fire()));
    this.changed.fire();
  }

  /** The notes about changes made on the server while offline (gapNotes.ts). */
  setGapSource(source: {
    forProject(projectId: string): string | undefined;
    onDidChange(l: () => void): { dispose(): void };
  }): void {
    this.gapSource = source;
    this.subscriptions.push(source.onDidChange(() => this.changed.fire()));
    this.changed.fire();
  }

  /** Project rows become expandable, with these children. */
  setChildSource(source: ProjectChildren): void {
    this.childSource = source;
    this.subscriptions.push(source.onDidChange(() => this.changed.fire()));
    this.changed.fire();
  }

  /** Rows are top-level (TreeView.reveal needs this to select one). */
  getParent(): undefined {
    return undefined;
  }

  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(): RowTreeItem[];
  getChildren(parent?: vscode.TreeItem): RowTreeItem[] | Promise<vscode.TreeItem[]>;
  getChildren(parent?: vscode.TreeItem): RowTreeItem[] | Promise<vscode.TreeItem[]> {
    if (parent) return this.childSource ? this.childSource.children(parent) : [];
    return this.rows();
  }

  private rows(): RowTreeItem[] {
    const { store } = this.session;
    const projects = store.projects;
    const rows = viewRows('projects', this.session.state, store.projectsLoad, projects, (p) => withQueuedNote(withGapNote(
      projectRow(p, store.tier(p.tierId), this.syncSource?.status(p.id), this.agentSource?.agentState(p.id)),
      this.gapSource?.forProject(p.id)), this.queuedSource?.forProject(p.id)));
    if (projects.length > 0 && rows.length > 0 && this.session.hasMoreProjects) rows.push(loadMoreRow(projects.length));
    return rows
      .map((row) => {
        const item = new RowTreeItem(row, row.id.startsWith('project:') ? row.id.slice('project:'.length) : undefined);
        if (item.projectId && this.childSource) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        return item;
      });
  }

  /** The names of the projects the view shows (for tests and diagnostics). */
  projectNames(): string[] {
    return this.rows().filter((i) => i.projectId !== undefined).map((i) => i.model.label);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
