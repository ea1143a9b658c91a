import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { NotificationWebhookUrl, type NotificationDelivery, type NotificationKind, type NotificationWebhook } from '../../../backend/contract';
import type { ConfigureNotificationWebhookArgs } from '../../core/commandIds';
import type { HangarSession } from '../../core/hangarSession';
import { deliveryPick, webhookSummary } from './deliveryFormat';

const KINDS: Array<{ kind: NotificationKind; label: string }> = [
  { kind: 'done', label: 'Finished' },
  { kind: 'failed', label: 'Failed' },
  { kind: 'needs-approval', label: 'Needs approval' },
];

/**
 * "Hangar: Configure Notification Webhook" and "Hangar: Show Notification Deliveries". With
 * arguments (code, tests) the configure command skips its questions.
 */
export function notificationWebhookCommands(session: HangarSession) {
  return {
    'hangar.configureNotificationWebhook': async (args?: ConfigureNotificationWebhookArgs): Promise<NotificationWebhook | null | undefined> => {
      if (args?.remove) {
        await session.api.deleteNotificationWebhook();
        return null;
      }
      if (args?.url) {
        return session.api.putNotificationWebhook({ url: args.url, kinds: args.kinds ?? ['done', 'failed', 'needs-approval'], ...(args.secret !== undefined ? { secret: args.secret } : {}) });
      }
      return configureInteractively(session);
    },
    'hangar.showNotificationDeliveries': async (): Promise<NotificationDelivery[]> => {
      const [hook, list] = await Promise.all([session.api.notificationWebhook(), session.api.notificationDeliveries()]);
      if (!hook && !list.items.length) {
        const c = await vscode.window.showInformationMessage('Hangar: no notification webhook is configured, so nothing was delivered.', 'Configure Notification Webhook');
        if (c) void vscode.commands.executeCommand('hangar.configureNotificationWebhook');
        return [];
      }
      const now = Date.now();
      const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
      qp.title = `Notification deliveries${hook ? ` to ${webhookSummary(hook)}` : ' (webhook removed)'}`;
      qp.placeholder = list.items.length ? 'Newest first' : 'Nothing delivered yet';
      qp.items = list.items.map((d) => deliveryPick(d, now));
      qp.matchOnDescription = qp.matchOnDetail = true;
      qp.onDidHide(() => qp.dispose());
      qp.onDidAccept(() => qp.hide());
      qp.show();
      return list.items;
    },
  };
}

async function configureInteractively(session: HangarSession): Promise<NotificationWebhook | null | undefined> {
  const current = await session.api.notificationWebhook();
  if (current) {
    const pick = await vscode.window.showQuickPick([
      { label: '$(edit) Change the webhook', id: 'change' },
      { label: '$(trash) Remove the webhook', id: 'remove', description: 'pending deliveries are given up' },
      { label: '$(list-unordered) Show deliveries', id: 'log' },
    ], { title: `Notification webhook: ${webhookSummary(current)}` });
    if (!pick) return undefined;
    if (pick.id === 'remove') {
      await session.api.deleteNotificationWebhook();
      void vscode.window.showInformationMessage('Hangar: notifications no longer go to the webhook.');
      return null;
    }
    if (pick.id === 'log') {
      await vscode.commands.executeCommand('hangar.showNotificationDeliveries');
      return current;
    }
  }
  const url = await vscode.window.showInputBox({
    title: 'Notification webhook URL (1/3)',
    prompt: 'Hangar POSTs a JSON notification here (with a vscode:// link to the session). https only; http only to this machine.',
    value: current?.url ?? '',
    placeHolder: 'https://ntfy.example.com/my-agents',
    ignoreFocusOut: true,
    validateInput: (v) => (NotificationWebhookUrl.safeParse(v).success ? undefined : 'An https:// URL without credentials (http:// only to localhost, 127.x or ::1).'),
  });
  if (url === undefined) return undefined;
  const kinds = await vscode.window.showQuickPick(KINDS.map((k) => ({ label: k.label, value: k.kind, picked: current ? current.kinds.includes(k.kind) : true })), {
    title: 'Which notifications to send (2/3)', canPickMany: true, ignoreFocusOut: true,
  });
  if (!kinds?.length) return undefined;
  const choice = await vscode.window.showQuickPick([
    ...(current?.hasSecret ? [{ label: 'Keep the current signing secret', id: 'keep' }] : []),
    { label: 'Enter a signing secret', id: 'enter', description: 'X-Hangar-Signature: sha256 HMAC of "<timestamp>.<body>"' },
    { label: 'Generate a signing secret', id: 'generate', description: 'copied to the clipboard once' },
    { label: 'Do not sign', id: 'none' },
  ], { title: 'Sign the requests? (3/3)', ignoreFocusOut: true });
  if (!choice) return undefined;
  let secret: string | null | undefined;
  if (choice.id === 'none') secret = null;
  else if (choice.id === 'generate') secret = randomBytes(24).toString('base64url');
  else if (choice.id === 'enter') {
    secret = await vscode.window.showInputBox({
      title: 'Signing secret', password: true, ignoreFocusOut: true, prompt: 'At least 16 characters; stored encrypted by the server and never shown again.',
      validateInput: (v) => (v.length >= 16 && v.length <= 200 ? undefined : 'Between 16 and 200 characters.'),
    });
    if (secret === undefined) return undefined;
  }
  const saved = await session.api.putNotificationWebhook({ url, kinds: kinds.map((k) => k.value), ...(secret !== undefined ? { secret } : {}) });
  if (choice.id === 'generate' && secret) await vscode.env.clipboard.writeText(secret);
  const next = await vscode.window.showInformationMessage(
    `Hangar: notifications go to ${webhookSummary(saved)}.${choice.id === 'generate' ? ' The signing secret is on the clipboard: give it to the receiver.' : ''}`,
    'Show Deliveries',
  );
  if (next) void vscode.commands.executeCommand('hangar.showNotificationDeliveries');
  return saved;
}
