import * as vscode from 'vscode';
import type { HangarSession } from '../hangarSession';
import { projectRow, viewRows } from '../treeModel';
import { RowTreeItem } from './rowTreeItem';

/** The Projects view: one row per project, kept fresh by the session's store. */
export class ProjectsTreeProvider implements vscode.TreeDataProvider<RowTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: HangarSession) {
    this.subscriptions = [
      this.changed,
      session.store.onDidChange(() => this.changed.fire()),
      session.onDidChangeState(() => this.changed.fire()),
    ];
  }

  getTreeItem(item: RowTreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: RowTreeItem): RowTreeItem[] {
    if (parent) return [];
    const { store } = this.session;
    return viewRows('projects', this.session.state, store.projectsLoad, store.projects, (p) => projectRow(p, store.tier(p.tierId)))
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
