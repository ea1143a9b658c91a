import * as vscode from 'vscode';
import type { Project, SyncStatus } from '../../backend/contract';
import { statusBarView, type StatusBarView } from './syncFormat';

/** The focused project's sync item: `$(git-branch) main ↑1 ↓0`; a click opens the Sync quick pick. */
export class SyncStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hangar.sync', vscode.StatusBarAlignment.Left, 49);
  private current: StatusBarView & { projectId: string | undefined } = {
    ...statusBarView(undefined, undefined, 0), projectId: undefined,
  };

  constructor() {
    this.item.name = 'Hangar Sync';
  }

  get view(): StatusBarView & { projectId: string | undefined } { return { ...this.current }; }

  render(project: Project | undefined, status: SyncStatus | undefined, now = Date.now()): void {
    const view = statusBarView(project, status, now);
    this.current = { ...view, projectId: project?.id };
    if (!view.visible || !project) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: view.accessibilityLabel };
    this.item.command = { command: 'hangar.syncMenu', title: 'Sync', arguments: [{ id: project.id }] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
