// The client half of the settings: VS Code's `hangar.*` settings, as package.json contributes them.
import * as vscode from 'vscode';
import { portableKeys, type SettingDeclaration } from './settingsModel';

export interface ClientSettingsPort {
  /** The keys an export carries (not machine-scoped). */
  portable(): string[];
  /** Values the user set (user settings), by key; defaults are not exported. */
  read(): Record<string, unknown>;
  /** Writes each value to the user settings. */
  write(values: Record<string, unknown>): Promise<void>;
}

export function vscodeClientSettings(packageJson: unknown): ClientSettingsPort {
  type Manifest = { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } };
  const properties = (packageJson as Manifest).contributes?.configuration?.properties ?? {};
  const declared: SettingDeclaration[] = Object.entries(properties)
    .map(([key, p]) => ({ key, ...(p.scope ? { scope: p.scope } : {}) }));
  const keys = portableKeys(declared);
  const config = () => vscode.workspace.getConfiguration();
  return {
    portable: () => keys,
    read: () => {
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const value = config().inspect(key)?.globalValue;
        if (value !== undefined) out[key] = value;
      }
      return out;
    },
    write: async (values) => {
      for (const [key, value] of Object.entries(values)) {
        await config().update(key, value, vscode.ConfigurationTarget.Global);
      }
    },
  };
}
