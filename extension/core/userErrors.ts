import * as vscode from 'vscode';
import { ApiError } from './apiError';

/**
 * Errors reach people here, and only here: one message with a next step. The log already has the
 * request's details (the api client's onFailure).
 */
export async function showError(prefix: string, e: unknown, extra: Record<string, () => unknown> = {}): Promise<void> {
  const actions: Record<string, () => unknown> = { ...extra };
  let message: string;
  if (e instanceof ApiError) {
    message = `${prefix}: ${e.message}`;
    if (e.isUnauthorised) {
      message = `${prefix}: the server refused the token. Connect again with a valid token.`;
      actions['Connect'] = () => vscode.commands.executeCommand('hangar.connect');
    } else if (e.isNetwork) {
      message = `${prefix}: the Hangar server is unreachable (${e.message}).`;
      actions['Test Connection'] ??= () => vscode.commands.executeCommand('hangar.testConnection');
    } else if (e.code === 'not_connected') {
      message = `${prefix}: not connected to a Hangar server.`;
      actions['Connect'] = () => vscode.commands.executeCommand('hangar.connect');
    }
  } else {
    message = `${prefix}: ${e instanceof Error ? e.message : String(e)}`;
  }
  actions['Show Log'] = () => vscode.commands.executeCommand('hangar.showLog');
  const picked = await vscode.window.showErrorMessage(message, ...Object.keys(actions));
  if (picked) await actions[picked]?.();
}
