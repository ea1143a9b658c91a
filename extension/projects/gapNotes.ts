import { conflictText, type GapConflict } from '../core/gapWatch';

/**
 * The rows' notes about what changed while offline (issue #14): "tier changed while offline", kept
 * until the user has read the notification that lists the changes. No vscode.
 */
export class GapNotes {
  private readonly notes = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  forProject(projectId: string): string | undefined { return this.notes.get(projectId); }

  add(conflicts: readonly GapConflict[]): void {
    for (const c of conflicts) {
      if (c.kind === 'deleted') continue; // its row is gone: the notification names it
      const text = c.kind === 'tierChanged' ? `tier changed while offline (${c.from} → ${c.to})`
        : `runtime changed while offline (${c.from} → ${c.to})`;
      const before = this.notes.get(c.project.id);
      this.notes.set(c.project.id, before ? `${before}; ${text}` : text);
    }
    this.emit();
  }

  clear(projectIds: readonly string[]): void {
    for (const id of projectIds) this.notes.delete(id);
    this.emit();
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** The notification: every change named, deleted projects first. */
export function gapMessage(conflicts: readonly GapConflict[]): string {
  const ordered = [...conflicts].sort((a, b) => Number(b.kind === 'deleted') - Number(a.kind === 'deleted'));
  return `Hangar: while you were offline, on the server ${ordered.map(conflictText).join('; ')}. `
    + 'The views now show the server\'s state.';
}

/** A row with a change made while offline: the note in its description, and first in its tooltip. */
export function withGapNote<R extends { description?: string; tooltip?: string }>(row: R, note: string | undefined): R {
  if (!note) return row;
  return {
    ...row,
    description: row.description ? `${row.description} · ${note}` : note,
    tooltip: `$(warning) **Changed while offline:** ${note}.${row.tooltip ? `\n\n${row.tooltip}` : ''}`,
  };
}
