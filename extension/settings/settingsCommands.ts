// "Hangar: Open Settings", "Export Settings…" and "Import Settings…". Thin: the file is checked by
// settingsModel, the secrets are sealed and opened by the API (the passphrase goes there only).
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { ImportReport } from '../../backend/contract';
import type { CommandHandlers } from '../core/commandRegistry';
import type { SETTINGS_COMMANDS } from './settingsManifest';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import type { ClientSettingsPort } from './clientSettings';
import type { SettingsPanel } from './settingsPanel';
import { parseImportFile, previewLines, withClientSettings } from './settingsModel';

export type SettingsHandlers = Pick<CommandHandlers, (typeof SETTINGS_COMMANDS)[number]>;

/** What an import did, for the message and for tests. */
export interface ImportOutcome { server: ImportReport['items']; client: string[]; cancelled?: boolean }

export function settingsCommands(
  session: HangarSession, panel: SettingsPanel, client: ClientSettingsPort, log: Logger,
): SettingsHandlers {
  return {
    'hangar.openSettings': () => panel.show(),
    'hangar.exportSettings': async (args) => {
      let includeSecrets = args?.includeSecrets;
      if (includeSecrets === undefined) {
        const pick = await vscode.window.showQuickPick([
          { label: 'Settings only', description: 'no keys or tokens', secrets: false },
          {
            label: 'Settings and secrets', secrets: true,
            description: 'provider keys, git tokens, webhook key: encrypted with a passphrase',
          },
        ], { title: 'Export Hangar Settings' });
        if (!pick) return undefined;
        includeSecrets = pick.secrets;
      }
      const passphrase = includeSecrets ? args?.passphrase ?? await askNewPassphrase() : undefined;
      if (includeSecrets && !passphrase) return undefined;
      const target = args?.to ?? (await vscode.window.showSaveDialog({
        title: 'Export Hangar Settings', filters: { JSON: ['json'] },
        defaultUri: vscode.Uri.file('hangar-settings.json'),
      }))?.fsPath;
      if (!target) return undefined;
      const server = await session.api.exportSettings(includeSecrets, passphrase);
      const file = withClientSettings(server, client.read());
      // A file with (encrypted) secrets is still the user's alone.
      await fs.writeFile(target, JSON.stringify(file, null, 2) + '\n', { mode: includeSecrets ? 0o600 : 0o644 });
      log.info(`settings exported to ${target}${includeSecrets ? ' (secrets encrypted)' : ''}`);
      if (!args) void vscode.window.showInformationMessage(`Hangar settings exported to ${target}.`);
      return target;
    },
    'hangar.importSettings': async (args): Promise<ImportOutcome | undefined> => {
      const source = args?.from ?? (await vscode.window.showOpenDialog({
        title: 'Import Hangar Settings', filters: { JSON: ['json'] }, canSelectMany: false,
      }))?.[0]?.fsPath;
      if (!source) return undefined;
      const parsed = parseImportFile(await fs.readFile(source, 'utf8'), client.portable());
      if (!parsed.ok) throw new Error(parsed.error);
      const passphrase = parsed.file.secrets ? args?.passphrase ?? await askPassphrase() : undefined;
      if (parsed.file.secrets && !passphrase) return undefined;
      const preview = await session.api.previewSettingsImport(parsed.file, passphrase);
      const lines = previewLines(preview, parsed.client, client.read());
      if (!args?.confirm) {
        const detail = lines.length ? lines.join('\n') : 'Nothing changes: the settings are the same.';
        const go = await vscode.window.showInformationMessage(
          'Import these Hangar settings?', { modal: true, detail }, 'Import');
        if (go !== 'Import') return { server: [], client: [], cancelled: true };
      }
      const report = await session.api.importSettings(parsed.file, passphrase);
      const changedClient = Object.keys(parsed.client).filter((k) => lines.some((l) => l.startsWith(`~ ${k}:`)));
      await client.write(Object.fromEntries(changedClient.map((k) => [k, parsed.client[k]])));
      for (const item of report.items) {
        log.info(`settings import: ${item.item}: ${item.outcome}${item.detail ? ` (${item.detail})` : ''}`);
      }
      for (const key of changedClient) log.info(`settings import: ${key}: applied`);
      if (parsed.unknownClientKeys.length) {
        log.warn(`settings import: skipped ${parsed.unknownClientKeys.join(', ')} (not portable here)`);
      }
      const applied = report.items.filter((i) => i.outcome === 'applied').length + changedClient.length;
      const done = `Hangar settings imported: ${applied} changed, the rest unchanged (see the Hangar log).`;
      if (!args) void vscode.window.showInformationMessage(done);
      return { server: report.items, client: changedClient };
    },
  };
}

async function askPassphrase(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Passphrase of the settings file', password: true, prompt: 'It opens the encrypted secrets.',
  });
}

async function askNewPassphrase(): Promise<string | undefined> {
  const first = await vscode.window.showInputBox({
    title: 'Passphrase for the secrets', password: true,
    prompt: 'At least 12 characters. Needed to import the secrets.',
    validateInput: (v) => (v.length < 12 ? 'At least 12 characters.' : undefined),
  });
  if (!first) return undefined;
  const again = await vscode.window.showInputBox({ title: 'The same passphrase again', password: true });
  if (again !== first) {
    void vscode.window.showWarningMessage('The passphrases differ; nothing was exported.');
    return undefined;
  }
  return first;
}
