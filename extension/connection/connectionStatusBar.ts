import * as vscode from 'vscode';
import { statusBarModel } from './connectionState';
import type { HangarSession } from '../core/hangarSession';

/** The status-bar item: connection state at a glance, and the one click that fixes it. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hangar.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private readonly storeSubscription: { dispose(): void };
  /** Offline, the data's age goes on growing: shown again each half minute. */
  private readonly ageTimer = setInterval(() => { if (this.session.state.kind === 'offline') this.render(); }, 30_000);

  constructor(private readonly session: HangarSession) {
    this.item.name = 'Hangar';
    this.subscription = session.onDidChangeState(() => this.render());
    this.storeSubscription = session.store.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const state = this.session.state;
    const load = this.session.store.projectsLoad;
    const model = statusBarModel(state, load.kind === 'loaded' ? load.at : undefined);
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
    this.storeSubscription.dispose();
    clearInterval(this.ageTimer);
    this.item.dispose();
  }
}
