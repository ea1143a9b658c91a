// The Hangar settings, host side, without vscode: the view of the API's settings, edits checked with
// the API's own schemas (backend/contract/settings.ts), and the export file with its client part.
import type { z } from 'zod';
import {
  ClientSettings, PermissionSettings, ServerSettingsUpdate, SettingsExport,
  type EffectivePermissions, type ImportPreview, type ServerSettings,
} from '../../backend/contract';
import type { ProjectPermissionsView, SettingsEdit, SettingsView } from '../../webviews/protocol/settings';

export function settingsView(s: ServerSettings): SettingsView {
  return {
    defaultModel: s.defaultModel,
    permissions: s.permissions,
    notificationWebhook: s.notificationWebhook,
    customProviders: s.customProviders.map((p) => ({
      id: p.id, name: p.name, baseURL: p.baseURL, models: p.models.length,
    })),
    githubHosts: s.github.hosts,
    pullMode: s.sync.pullMode,
  };
}

export function projectPermissionsView(
  projectId: string, name: string, eff: EffectivePermissions,
): ProjectPermissionsView {
  return { projectId, name, tools: eff.tools, bashRules: eff.bashRules, override: eff.project };
}

/** `field.path: message` for the first problems, so the user knows which field to fix. */
export function fieldErrors(error: z.ZodError, prefix = ''): string {
  const where = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.');
  return error.issues.slice(0, 3).map((i) => `${where(i.path)}: ${i.message}`).join('; ');
}

/** An edit from the webview as the body of PUT /api/settings, or the fields that are wrong. */
/** A body that passed the API's own schema, or the fields that are wrong. */
export type Checked<T> = { ok: true; body: T } | { ok: false; error: string };

export function updateFromEdit(edit: SettingsEdit): Checked<ServerSettingsUpdate> {
  const raw = edit.section === 'pullMode' ? { sync: { pullMode: edit.value } } : { [edit.section]: edit.value };
  const parsed = ServerSettingsUpdate.safeParse(raw);
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, error: fieldErrors(parsed.error) };
}

export function checkPermissions(value: unknown): Checked<PermissionSettings> {
  const parsed = PermissionSettings.safeParse(value);
  if (!parsed.success) return { ok: false, error: fieldErrors(parsed.error, 'permissions') };
  return { ok: true, body: parsed.data };
}

/** A contributed setting as package.json declares it. */
export interface SettingDeclaration { key: string; scope?: string }

/**
 * Which client settings travel in an export: every `hangar.*` setting the user set, except
 * machine-scoped ones (paths and files of this machine, as VS Code's Settings Sync treats them).
 */
export function portableKeys(declared: readonly SettingDeclaration[]): string[] {
  return declared.filter((d) => d.scope !== 'machine' && d.scope !== 'machine-overridable').map((d) => d.key);
}

/** The file: the server's part (from POST /api/settings/export) plus the client settings. */
export function withClientSettings(server: SettingsExport, client: Record<string, unknown>): SettingsExport {
  return { ...server, client: ClientSettings.parse(client) };
}

export type ParsedImport =
  | { ok: true; file: SettingsExport; client: Record<string, unknown>; unknownClientKeys: string[] }
  | { ok: false; error: string };

/** The whole file checked before anything is asked or applied: JSON, format, version, every field. */
export function parseImportFile(text: string, portable: readonly string[]): ParsedImport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The file is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = SettingsExport.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: `Not a settings file Hangar can import: ${fieldErrors(parsed.error)}` };
  }
  const client: Record<string, unknown> = {};
  const unknownClientKeys: string[] = [];
  for (const [key, value] of Object.entries(parsed.data.client ?? {})) {
    if (portable.includes(key)) client[key] = value;
    else unknownClientKeys.push(key);
  }
  return { ok: true, file: parsed.data, client, unknownClientKeys };
}

/** The lines of the preview the user confirms: server items that change, then client settings. */
export function previewLines(
  preview: ImportPreview, client: Record<string, unknown>, current: Record<string, unknown>,
): string[] {
  const lines = preview.changes.filter((c) => c.change !== 'same').map((c) =>
    c.change === 'add' ? `+ ${c.item}: ${c.after}` : c.change === 'remove' ? `- ${c.item} (was ${c.before})`
      : `~ ${c.item}: ${c.before} → ${c.after}`);
  for (const [key, value] of Object.entries(client)) {
    const [before, after] = [JSON.stringify(current[key]), JSON.stringify(value)];
    if (before !== after) lines.push(`~ ${key}: ${before} → ${after}`);
  }
  return lines;
}
