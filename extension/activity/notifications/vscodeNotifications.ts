import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { ActivityNotification } from '../../../backend/contract';
import { NOTIFICATION_LEVEL } from '../activityFormat';
import type { HangarSession } from '../../core/hangarSession';
import type { Logger } from '../../core/ports';
import { showError } from '../../core/userErrors';
import type { NotificationAction, NotificationSinks, NotifySettings } from './notificationCenter';
import { soundCommand, systemNotificationCommand, type OsCommand } from './systemNotification';

export function readNotifySettings(): NotifySettings {
  const c = vscode.workspace.getConfiguration('hangar');
  return {
    inApp: c.get<boolean>('notifications.inApp') ?? true,
    system: c.get<boolean>('notifications.system') ?? false,
    sound: c.get<boolean>('notifications.sound') ?? false,
    quietHours: c.get<string>('notifications.quietHours') ?? '',
  };
}

const NoContent = { parse: () => undefined } as const;
const ACTIVITY_VIEW = 'hangar.activity';

/** The vscode side of NotificationCenter: toasts with actions, the OS notification and sound, the quiet-hours summary. */
export class VscodeNotificationSinks implements NotificationSinks {
  private missingTool = new Set<string>();

  constructor(private readonly session: HangarSession, private readonly log: Logger, private readonly platform = process.platform) {}

  inApp(note: ActivityNotification, actions: NotificationAction[]): void {
    const show = { info: vscode.window.showInformationMessage, warning: vscode.window.showWarningMessage, error: vscode.window.showErrorMessage }[NOTIFICATION_LEVEL[note.kind]];
    void show(note.text, ...actions).then((choice) => {
      if (choice) void this.act(note, choice as NotificationAction);
    });
  }

  /** What a click on a notification's button does. */
  async act(note: ActivityNotification, action: NotificationAction): Promise<boolean> {
    try {
      if (action === 'Open Session') {
        await vscode.commands.executeCommand('hangar.openSession', { projectId: note.projectId, sessionId: note.sessionId });
      } else {
        if (!note.permission) throw new Error('this notification carries no permission request');
        await this.session.api.agent(note.projectId, 'POST', `/permission/${encodeURIComponent(note.permission.id)}/reply`, NoContent,
          { reply: action === 'Approve' ? 'once' : 'reject' });
        this.log.info(`${action === 'Approve' ? 'approved (once)' : 'rejected'} ${note.permission.name} for session ${note.sessionId}`);
      }
      return true;
    } catch (e) {
      void showError(`Hangar: could not ${action === 'Open Session' ? 'open the session' : action.toLowerCase()}`, e, { 'Open Session': () => vscode.commands.executeCommand('hangar.openSession', { projectId: note.projectId, sessionId: note.sessionId }) });
      return false;
    }
  }

  system(note: ActivityNotification, sound: boolean): void {
    const title = { done: 'Agent finished', failed: 'Agent failed', 'needs-approval': 'Agent needs approval' }[note.kind];
    this.run('system', systemNotificationCommand(this.platform, `Hangar: ${title}`, note.text, sound));
  }

  sound(): void {
    this.run('sound', soundCommand(this.platform));
  }

  summary(text: string): void {
    void vscode.window.showInformationMessage(text, 'Show Activity').then((c) => {
      if (c) void vscode.commands.executeCommand(`${ACTIVITY_VIEW}.focus`);
    });
  }

  invalidSetting(message: string): void {
    void vscode.window.showWarningMessage(message, 'Open Settings').then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.action.openSettings', 'hangar.notifications.quietHours');
    });
  }

  private run(sink: 'system' | 'sound', cmd: OsCommand | undefined): void {
    if (!cmd) {
      this.log.debug(`no ${sink} notification on ${this.platform}`);
      return;
    }
    execFile(cmd.file, cmd.args, { timeout: 10_000, windowsHide: true }, (err) => {
      const error = err ? ((err as NodeJS.ErrnoException).code === 'ENOENT' ? `${cmd.file} is not installed` : err.message.split('\n')[0]) : undefined;
      if (error && !this.missingTool.has(cmd.file)) {
        this.missingTool.add(cmd.file);
        this.log.warn(`${sink} notification: ${error}${cmd.file === 'notify-send' ? ' (apt-get install libnotify-bin)' : ''}`);
      }
    });
  }
}
