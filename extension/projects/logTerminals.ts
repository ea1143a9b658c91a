import * as vscode from 'vscode';
import type { HangarSession } from '../core/hangarSession';
import type { LogFollower } from './logFollower';
import type { Logger } from '../core/ports';

interface Entry {
  terminal: vscode.Terminal;
  follower: LogFollower;
}

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * One pseudo-terminal per project that follows its container log. The terminal is the lifetime:
 * closing it stops following; the follower reconnects by itself while it is open.
 */
export class LogTerminals implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly session: HangarSession, private readonly log: Logger) {}

  show(projectId: string, projectName: string): void {
    const existing = this.entries.get(projectId);
    if (existing) {
      if (!existing.follower.isRunning) existing.follower.start();
      existing.terminal.show(true);
      return;
    }
    const write = new vscode.EventEmitter<string>();
    const entry = {} as Partial<Entry> as Entry;
    const out = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
    entry.follower = this.session.logFollower(projectId, {
      onLines: (lines) => out(lines.map((l) => `${l}\n`).join('')),
      onNotice: (text) => {
        this.log.info(`logs of ${projectId}: ${text}`);
        out(`${DIM}[hangar] ${text}${RESET}\n`);
      },
    });
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      open: () => {
        out(`${DIM}[hangar] following the logs of "${projectName}"; they continue across restarts. Close this terminal to stop.${RESET}\n`);
        entry.follower.start();
      },
      close: () => this.forget(projectId),
    };
    entry.terminal = vscode.window.createTerminal({
      name: `Hangar Logs: ${projectName}`,
      pty,
      iconPath: new vscode.ThemeIcon('output'),
      isTransient: true,
    });
    this.entries.set(projectId, entry);
    // The terminal owns the emitter: it goes when the terminal does.
    const closed = vscode.window.onDidCloseTerminal((t) => {
      if (t !== entry.terminal) return;
      closed.dispose();
      write.dispose();
      this.forget(projectId);
    });
    entry.terminal.show(true);
  }

  /** The connection ended (disconnect, token refused): followers hold the old token, so they go with their terminals. */
  closeAll(): void {
    this.dispose();
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) {
      const e = this.entries.get(id);
      this.forget(id);
      e?.terminal.dispose();
    }
  }

  private forget(projectId: string): void {
    const e = this.entries.get(projectId);
    if (!e) return;
    this.entries.delete(projectId);
    e.follower.stop('terminal closed');
  }
}
