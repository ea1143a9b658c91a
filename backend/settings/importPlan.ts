import type { z } from 'zod';
import {
  SettingsExport, type CustomProviderSetting, type ImportChange, type ServerSettings, type SettingsSecrets,
} from '../contract';
import { badRequest } from '../errors';

/** Zod's issues as `field.path: message`, the field first so the user knows where to look. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(file)'}: ${i.message}`);
}

/** The whole file checked before anything is applied; a 400 naming every field that is wrong. */
export function validateFile(raw: unknown): SettingsExport {
  const parsed = SettingsExport.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues).slice(0, 20);
  throw badRequest('invalid_settings_file', `This is not a Hangar settings file Hangar can import: ${problems[0]}`, { problems });
}

/** What is in place now, secrets in clear (only compared, never shown). */
export interface CurrentState {
  settings: ServerSettings;
  secrets: SettingsSecrets;
}

const show = {
  defaultModel: (v: ServerSettings['defaultModel']) => (v ? `${v.providerId}/${v.modelId}` : null),
  permissions: (v: ServerSettings['permissions']) => (Object.keys(v).length ? JSON.stringify(v) : null),
  webhook: (v: ServerSettings['notificationWebhook']) => (v ? `${v.url} (${v.kinds.join(', ')})` : null),
  provider: (v: CustomProviderSetting | undefined) => (v ? `${v.name} at ${v.baseURL}, ${v.models.length} model(s)` : null),
};

function change(item: string, before: string | null, after: string | null, same = before === after): ImportChange {
  const kind = same ? 'same' : before === null ? 'add' : after === null ? 'remove' : 'change';
  return { item, change: kind, before, after };
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, val: unknown) =>
  val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : val);

/**
 * Every item the import would touch and how: the default model, permissions, notification webhook
 * and sync default are replaced; custom providers and secrets in the file are added or replaced
 * (others are kept); GitHub hosts come only with their tokens (secrets). Secret values never appear.
 */
export function planChanges(now: CurrentState, file: SettingsExport, secrets: SettingsSecrets | undefined): ImportChange[] {
  const s = file.server;
  const out: ImportChange[] = [
    change('defaultModel', show.defaultModel(now.settings.defaultModel), show.defaultModel(s.defaultModel)),
    change('permissions', show.permissions(now.settings.permissions), show.permissions(s.permissions),
      canonical(now.settings.permissions) === canonical(s.permissions)),
    change('notificationWebhook', show.webhook(now.settings.notificationWebhook), show.webhook(s.notificationWebhook)),
    change('sync.pullMode', now.settings.sync.pullMode, s.sync.pullMode),
  ];
  for (const p of s.customProviders) {
    const before = now.settings.customProviders.find((c) => c.id === p.id);
    out.push(change(`customProviders.${p.id}`, show.provider(before), show.provider(p), canonical(before) === canonical(p)));
  }
  if (!secrets) return out;
  const secret = (item: string, before: unknown, after: unknown) =>
    change(item, before ? '(secret)' : null, after ? '(secret)' : null, canonical(before) === canonical(after));
  for (const [id, auth] of Object.entries(secrets.providers)) {
    out.push(secret(`secrets.providers.${id}`, now.secrets.providers[id], auth));
  }
  for (const [host, token] of Object.entries(secrets.github)) out.push(secret(`secrets.github.${host}`, now.secrets.github[host], token));
  if (secrets.notificationWebhookSecret !== null || now.secrets.notificationWebhookSecret !== null) {
    out.push(secret('secrets.notificationWebhookSecret', now.secrets.notificationWebhookSecret, secrets.notificationWebhookSecret));
  }
  return out;
}
