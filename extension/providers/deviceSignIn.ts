import * as vscode from 'vscode';
import type { DeviceFlowStart, DeviceFlowStatus } from '../../backend/contract';
import type { ApiClient } from '../core/apiClient';
import type { Logger } from '../core/ports';
import { deviceFlowOutcome, followDeviceFlow } from './deviceFlowPoller';

/** The device sign-in in progress (or the last one): what "Copy Code and Open" copies and opens. */
export interface DeviceSignInState {
  providerId: string;
  userCode: string;
  verificationUri: string;
  status: DeviceFlowStatus['status'];
  /** The visible prompt's text, exactly as shown. */
  prompt: string;
}

const COPY_AND_OPEN = 'Copy Code and Open';

/**
 * GitHub's device flow in VS Code: a notification with the code and "Copy Code and Open" (copies the
 * code, opens GitHub's page), and a cancellable progress notification that follows the flow the API
 * runs. The token never reaches the extension: the API stores it.
 */
export class DeviceSignIn {
  private _current: DeviceSignInState | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly log: Logger) {}

  get current(): DeviceSignInState | undefined { return this._current; }

  async run(api: ApiClient, providerId: string, providerName: string): Promise<boolean> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const start = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Asking GitHub for a sign-in code for ${providerName}…`,
      },
      () => api.startDeviceFlow(providerId));
    const prompt = `Sign in to ${providerName}: enter the code ${start.userCode} at ${start.verificationUri}`;
    this._current = {
      providerId, userCode: start.userCode, verificationUri: start.verificationUri, status: 'pending', prompt,
    };
    this.log.info(`device sign-in for ${providerId} started (flow ${start.flowId})`);
    void vscode.window.showInformationMessage(prompt, COPY_AND_OPEN, 'Cancel').then((choice) => {
      if (choice === COPY_AND_OPEN) void this.copyAndOpen();
      if (choice === 'Cancel') abort.abort();
    });
    const final = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification, title: `Waiting for GitHub (code ${start.userCode})`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return followDeviceFlow(api, providerId, start, {
          signal: abort.signal,
          onStatus: (s) => {
            if (this._current) this._current.status = s.status;
            progress.report({ message: progressText(s, start) });
          },
        });
      });
    if (this.abort === abort) this.abort = undefined;
    const outcome = deviceFlowOutcome(final, providerName);
    this.log.info(`device sign-in for ${providerId} ended: ${final.status}`);
    if (outcome.ok) void vscode.window.showInformationMessage(`Hangar: ${outcome.message}`);
    else if (final.status !== 'cancelled') {
      void vscode.window.showErrorMessage(`Hangar: ${outcome.message}`, 'Try Again').then((c) => {
        if (c) void vscode.commands.executeCommand('hangar.configureProvider', { providerId, method: 'oauth-device' });
      });
    }
    return outcome.ok;
  }

  /** The "Copy Code and Open" button: the code to the clipboard, GitHub's page in the browser. */
  async copyAndOpen(): Promise<boolean> {
    const c = this._current;
    if (!c) return false;
    await vscode.env.clipboard.writeText(c.userCode);
    return vscode.env.openExternal(vscode.Uri.parse(c.verificationUri));
  }

  cancel(): void {
    this.abort?.abort();
  }

  dispose(): void {
    this.abort?.abort();
  }
}

function progressText(s: DeviceFlowStatus, start: DeviceFlowStart): string {
  if (s.status === 'slow_down') {
    return `GitHub asked to check less often (every ${s.interval} s); still waiting for ${start.userCode}…`;
  }
  return `enter ${start.userCode} at ${start.verificationUri}`;
}
