import * as vscode from 'vscode';
import type { RowModel } from '../../projects/treeModel';

/** A tree item built from a plain RowModel; `projectId` lets context-menu commands find their project. */
export class RowTreeItem extends vscode.TreeItem {
  constructor(readonly model: RowModel, readonly projectId?: string) {
    super(model.label, vscode.TreeItemCollapsibleState.None);
    this.id = model.id;
    this.description = model.description;
    if (model.tooltip) this.tooltip = new vscode.MarkdownString(model.tooltip, true);
    this.contextValue = model.contextValue;
    const color = model.icon.color ? new vscode.ThemeColor(model.icon.color) : undefined;
    this.iconPath = new vscode.ThemeIcon(model.icon.id, color);
    if (model.command) this.command = { ...model.command, arguments: [] };
  }
}
