import * as vscode from 'vscode';
import type { HangarSession } from '../core/hangarSession';
import { tierRow, viewRows } from './treeModel';
import { RowTreeItem } from '../core/views/rowTreeItem';

/** The Tiers view: the container sizes the server offers, the default marked. */
export class TiersTreeProvider implements vscode.TreeDataProvider<RowTreeItem>, vscode.Disposable {
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
    return viewRows('tiers', this.session.state, store.tiersLoad, store.tiers, tierRow).map((row) => new RowTreeItem(row));
  }

  tierIds(): string[] {
    return this.getChildren().filter((i) => i.model.id.startsWith('tier:')).map((i) => i.model.id.slice('tier:'.length));
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
