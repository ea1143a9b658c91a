import * as vscode from 'vscode';

/**
 * The data provider a view gets at activation: the first time VS Code asks for rows it loads the
 * feature that owns the view, which then attaches its real provider; everything is forwarded to it.
 */
export class LazyTreeProvider implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private target: vscode.TreeDataProvider<unknown> | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  private forwarding: vscode.Disposable | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly loadOwner: () => Promise<unknown>) {}

  attach(provider: vscode.TreeDataProvider<unknown>): void {
    this.forwarding?.dispose();
    this.target = provider;
    this.forwarding = provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire(undefined);
  }

  async getChildren(element?: unknown): Promise<unknown[]> {
    if (!this.target) await this.loadOwner();
    return (await this.target?.getChildren(element)) ?? [];
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.target) throw new Error('a tree row was asked for before its feature loaded');
    return this.target.getTreeItem(element);
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.target?.getParent?.(element);
  }

  resolveTreeItem(
    item: vscode.TreeItem, element: unknown, token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.TreeItem> {
    return this.target?.resolveTreeItem ? this.target.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
