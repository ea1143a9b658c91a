/**
 * One webview panel per project: opens it, or reveals the one already open; forgets it when it is
 * disposed; disposes them all with the feature. The Chat, Desktop and Project details panels use it.
 */
import type { Disposable } from '../ports';

export interface ProjectPanel {
  reveal(): void;
  dispose(): void;
}

/** `create` gets the callback the panel must call when it is disposed, and what `show` was given. */
export type CreatePanel<P, O> = (projectId: string, onDisposed: () => void, options: O | undefined) => P;

export class PanelsByProject<P extends ProjectPanel, O = never> {
  private readonly panels = new Map<string, P>();
  private readonly openListeners = new Set<(projectId: string, panel: P) => void>();

  constructor(private readonly create: CreatePanel<P, O>) {}

  /** The project's panel, revealed; created (with `options`) when none is open. */
  show(projectId: string, options?: O): P {
    const open = this.panels.get(projectId);
    if (open) {
      open.reveal();
      return open;
    }
    // A panel of an earlier show may close after a new one opened: only its own entry goes.
    let panel: P | undefined = undefined;
    const onDisposed = (): void => {
      if (panel !== undefined && this.panels.get(projectId) === panel) this.panels.delete(projectId);
    };
    panel = this.create(projectId, onDisposed, options);
    this.panels.set(projectId, panel);
    for (const l of [...this.openListeners]) l(projectId, panel);
    return panel;
  }

  get(projectId: string): P | undefined {
    return this.panels.get(projectId);
  }

  /** The open panels, by project id. */
  entries(): Array<[string, P]> {
    return [...this.panels.entries()];
  }

  /** Fires after a panel was created (before its page loaded). */
  onDidOpen(listener: (projectId: string, panel: P) => void): Disposable {
    this.openListeners.add(listener);
    return { dispose: () => this.openListeners.delete(listener) };
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    this.openListeners.clear();
  }
}
