import * as vscode from 'vscode';
import type { HangarSession } from '../core/hangarSession';
import { providerRows, type LoadStatus, type ProvidersData } from './providersModel';
import type { RowModel } from '../projects/treeModel';
import { RowTreeItem } from '../core/views/rowTreeItem';
import { markStale, staleSince } from '../core/views/staleRows';

class ProviderTreeItem extends RowTreeItem {
  constructor(model: RowModel, readonly providerId: string) {
    super(model);
  }
}

export class ProvidersTreeProvider implements vscode.TreeDataProvider<RowTreeItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  data: ProvidersData | undefined;
  status: LoadStatus = { kind: 'idle' };
  /** When the shown data was fetched (offline, the rows say how old it is). */
  loadedAt: number | undefined;

  constructor(private readonly session: HangarSession) {}

  fire(): void { this.changed.fire(); }
  getTreeItem(item: RowTreeItem): vscode.TreeItem { return item; }

  getChildren(parent?: RowTreeItem): RowTreeItem[] {
    if (parent) return [];
    if (this.session.state.kind === 'disconnected' || this.session.state.kind === 'unauthorised') return [];
    if (this.status.kind === 'error' && !this.data) {
      return [new RowTreeItem({
        id: 'providers:error', label: 'Could not load providers', description: this.status.message,
        contextValue: 'error', icon: { id: 'error', color: 'errorForeground' },
      })];
    }
    if (!this.data) {
      if (this.status.kind !== 'loading') return [];
      return [new RowTreeItem({
        id: 'providers:loading', label: 'Loading…', contextValue: 'loading', icon: { id: 'loading~spin' },
      })];
    }
    if (!this.data.providers.length) {
      return [new RowTreeItem({
        id: 'providers:empty', label: 'No provider configured', description: 'Configure one to run agents',
        contextValue: 'empty', icon: { id: 'info' },
        command: { command: 'hangar.configureProvider', title: 'Configure Provider' },
      })];
    }
    const now = Date.now();
    const stale = staleSince(this.session.state, this.loadedAt);
    return providerRows(this.data, now)
      .map((row) => (stale === undefined ? row : markStale(row, stale, now)))
      .map((row) => new ProviderTreeItem(row, row.id.slice('provider:'.length)));
  }

  dispose(): void { this.changed.dispose(); }
}
