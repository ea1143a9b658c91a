import * as vscode from 'vscode';
import { statusBarModel } from './connectionState';
import type { HangarSession } from '../core/hangarSession';

/** The status-bar item: connection state at a glance, and the one click that fixes it. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hangar.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: HangarSession) {
    this.item.name = 'Hangar';
    this.subscription = session.onDidChangeState(() => this.render());
    this.render();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const state = this.session.state;
    const model = statusBarModel(state);
    this.item.text = model.text;
    this.item.tooltip = model.tooltip;
    this.item.command = model.command;
    this.item.backgroundColor = state.kind === 'unauthorised' || state.kind === 'offline'
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.accessibilityInformation = { label: `Hangar: ${state.kind}` };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
