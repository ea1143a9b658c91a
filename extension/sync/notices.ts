import * as vscode from 'vscode';
import type { Logger } from '../core/ports';

export type NoticeKind = 'summary' | 'conflict' | 'pushRefused' | 'failed' | 'info';

export type NoticeLevel = 'info' | 'warning' | 'error';

/**
 * The sync notifications, shown and logged with their kind and project. Never holds a secret: messages
 * are built from sync results.
 */
export class Notices {
  constructor(private readonly log: Logger) {}

  raise<T extends string>(
    kind: NoticeKind, level: NoticeLevel, projectId: string | undefined, message: string, items: readonly T[] = [],
  ): Thenable<T | undefined> {
    this.log.info(`sync ${kind}${projectId ? ` (${projectId})` : ''}: ${message}`);
    const show = level === 'info' ? vscode.window.showInformationMessage
      : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    return show(message, ...items) as Thenable<T | undefined>;
  }
}
