/**
 * One webview panel per project: opens it, or reveals the one already open; forgets it when it is
 * disposed; disposes them all with the feature. The panels of Project details and the Desktop use it.
 */
export interface ProjectPanel {
  reveal(): void;
  dispose(): void;
}

export class PanelsByProject<P extends ProjectPanel> {
  private readonly panels = new Map<string, P>();

  /** `create` gets the callback the panel must call when it is disposed. */
  constructor(private readonly create: (projectId: string, onDisposed: () => void) => P) {}

  show(projectId: string): void {
    const open = this.panels.get(projectId);
    if (open) {
      open.reveal();
      return;
    }
    this.panels.set(projectId, this.create(projectId, () => this.panels.delete(projectId)));
  }

  get(projectId: string): P | undefined {
    return this.panels.get(projectId);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
