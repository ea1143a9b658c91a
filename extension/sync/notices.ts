import * as vscode from 'vscode';

export type NoticeKind = 'summary' | 'conflict' | 'pushRefused' | 'failed' | 'info';

export interface NoticeRecord {
  kind: NoticeKind;
  level: 'info' | 'warning' | 'error';
  projectId: string | undefined;
  message: string;
  items: string[];
  /** The button the user chose, once they did ('' when dismissed). */
  choice?: string;
}

/**
 * The sync notifications, shown and remembered: the in-VS-Code suite reads what was raised with which
 * choices (toasts cannot be clicked there). Never holds a secret: messages are built from sync results.
 */
export class Notices {
  private readonly recent: NoticeRecord[] = [];

  raise<T extends string>(kind: NoticeKind, level: NoticeRecord['level'], projectId: string | undefined, message: string, items: readonly T[] = []): Thenable<T | undefined> {
    const record: NoticeRecord = { kind, level, projectId, message, items: [...items] };
    this.recent.push(record);
    if (this.recent.length > 30) this.recent.shift();
    const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    return show(message, ...items).then((choice) => {
      record.choice = choice ?? '';
      return choice as T | undefined;
    });
  }

  list(): NoticeRecord[] {
    return this.recent.map((r) => ({ ...r, items: [...r.items] }));
  }
}
