import { z } from 'zod';
import { NotificationKind, NotificationWebhookUrl } from './activity';
import { displayName, IsoTime } from './common';
import { ProviderId } from './projects';
import { BaseUrl, CustomModel, ModelId } from './providers';

/** What opencode does with a tool call: run it, ask the user first (the chat's permission card), or refuse it. */
export const PermissionAction = z.enum(['ask', 'allow', 'deny']);
export type PermissionAction = z.infer<typeof PermissionAction>;

export const PERMISSION_TOOLS = ['bash', 'edit', 'write', 'webfetch', 'mcp'] as const;
export const PermissionTool = z.enum(PERMISSION_TOOLS);
export type PermissionTool = z.infer<typeof PermissionTool>;

/** One bash command pattern (opencode's wildcards: `git *`, `rm *`); the last matching rule wins. */
export const BashRule = z.strictObject({
  pattern: z.string().trim().min(1, 'a command pattern like "git *"').max(300)
    .refine((p) => !/[\n\r]/.test(p), 'one line'),
  action: PermissionAction,
});
export type BashRule = z.infer<typeof BashRule>;

/**
 * Permissions as a user default or a project override: each tool unset = inherit (the user's
 * default, then opencode's own: allow). `bashRules` set = replaces the inherited list as a whole.
 */
export const PermissionSettings = z.strictObject({
  bash: PermissionAction.optional(),
  edit: PermissionAction.optional(),
  write: PermissionAction.optional(),
  webfetch: PermissionAction.optional(),
  mcp: PermissionAction.optional(),
  bashRules: z.array(BashRule).max(100, 'at most 100 bash rules').optional(),
});
export type PermissionSettings = z.infer<typeof PermissionSettings>;

/** Where an effective value comes from. */
export const PermissionSource = z.enum(['project', 'user', 'default']);
export type PermissionSource = z.infer<typeof PermissionSource>;

export const EffectivePermission = z.object({ action: PermissionAction, source: PermissionSource });
export type EffectivePermission = z.infer<typeof EffectivePermission>;

/** GET /api/projects/:id/permissions: what the project's agent runs with, why, and both layers. */
export const EffectivePermissions = z.object({
  tools: z.object({
    bash: EffectivePermission, edit: EffectivePermission, write: EffectivePermission,
    webfetch: EffectivePermission, mcp: EffectivePermission,
  }),
  bashRules: z.object({ rules: z.array(BashRule), source: PermissionSource }),
  user: PermissionSettings,
  project: PermissionSettings,
});
export type EffectivePermissions = z.infer<typeof EffectivePermissions>;

/** The notification webhook as a setting: the URL and kinds (its signing key is a secret). */
export const WebhookSetting = z.strictObject({
  url: NotificationWebhookUrl,
  kinds: z.array(NotificationKind).min(1, 'choose at least one kind').max(3),
});

/** A custom provider as a setting (its key is a secret). */
export const CustomProviderSetting = z.strictObject({
  id: ProviderId,
  name: displayName(100),
  baseURL: BaseUrl,
  models: z.array(CustomModel).min(1).max(500),
});
export type CustomProviderSetting = z.infer<typeof CustomProviderSetting>;

export const SyncDefaults = z.strictObject({ pullMode: z.enum(['merge', 'rebase']) });

/** Every server-side user setting, as GET /api/settings shows it and an export file carries it. */
export const ServerSettings = z.strictObject({
  defaultModel: z.strictObject({ providerId: ProviderId, modelId: ModelId }).nullable(),
  permissions: PermissionSettings,
  notificationWebhook: WebhookSetting.nullable(),
  customProviders: z.array(CustomProviderSetting).max(100),
  /** Hosts that have a git token (the tokens are secrets: set them in the GitHub commands or import them). */
  github: z.strictObject({ hosts: z.array(z.string().trim().min(1).max(200)).max(50) }),
  /** How new projects pull (each project can change its own). */
  sync: SyncDefaults,
});
export type ServerSettings = z.infer<typeof ServerSettings>;

/** PUT /api/settings: the sections to change (others are kept); applied at once, running agents included. */
export const ServerSettingsUpdate = z.strictObject({
  defaultModel: ServerSettings.shape.defaultModel.optional(),
  permissions: PermissionSettings.optional(),
  notificationWebhook: WebhookSetting.nullable().optional(),
  sync: SyncDefaults.optional(),
});
export type ServerSettingsUpdate = z.infer<typeof ServerSettingsUpdate>;

/** The secrets an export may carry, only encrypted (SecretsEnvelope). */
export const SettingsSecrets = z.strictObject({
  /** opencode auth per provider: an API key, or an OAuth sign-in. */
  providers: z.record(ProviderId, z.union([
    z.strictObject({ type: z.literal('api'), key: z.string().min(1).max(4096) }),
    z.strictObject({
      type: z.literal('oauth'), refresh: z.string().max(8192), access: z.string().max(8192),
      expires: z.number(), enterpriseUrl: z.string().max(500).optional(),
    }),
  ])),
  github: z.record(z.string().min(1).max(200), z.string().min(10).max(500)),
  notificationWebhookSecret: z.string().min(16).max(200).nullable(),
});
export type SettingsSecrets = z.infer<typeof SettingsSecrets>;

const Base64 = z.string().max(2_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** SettingsSecrets as JSON, sealed with AES-256-GCM under a key scrypt derives from the user's passphrase. */
export const SecretsEnvelope = z.strictObject({
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14).max(2 ** 22),
    r: z.number().int().min(8).max(32),
    p: z.number().int().min(1).max(16),
    salt: Base64,
  }),
  cipher: z.literal('aes-256-gcm'),
  iv: Base64,
  tag: Base64,
  data: Base64,
});
export type SecretsEnvelope = z.infer<typeof SecretsEnvelope>;

export const SETTINGS_FORMAT = 'hangar-settings';
export const SETTINGS_VERSION = 1;

/** Client settings: `hangar.*` keys of VS Code's settings (validated by the extension against package.json). */
export const ClientSettings = z.record(z.string().regex(/^hangar\.[A-Za-z0-9.]+$/, 'a hangar.* setting'), z.unknown());

/** The export file (versioned). Secrets only when asked for, and then only encrypted. */
export const SettingsExport = z.strictObject({
  format: z.literal(SETTINGS_FORMAT),
  version: z.literal(SETTINGS_VERSION, `version ${SETTINGS_VERSION} (this Hangar reads no other)`),
  exportedAt: IsoTime,
  client: ClientSettings.optional(),
  server: ServerSettings,
  secrets: SecretsEnvelope.optional(),
});
export type SettingsExport = z.infer<typeof SettingsExport>;

export const Passphrase = z.string().min(12, 'a passphrase of at least 12 characters').max(1024);

/** POST /api/settings/export. */
export const SettingsExportRequest = z.strictObject({
  includeSecrets: z.boolean().default(false),
  passphrase: Passphrase.optional(),
});

/** POST /api/settings/import and /api/settings/import/preview: the whole file (checked here, not trusted). */
export const SettingsImportRequest = z.strictObject({
  file: z.unknown(),
  passphrase: Passphrase.optional(),
});

/** One item an import changes: a section of the server settings, or one secret. */
export const ImportChange = z.object({
  item: z.string(),
  change: z.enum(['add', 'change', 'remove', 'same']),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type ImportChange = z.infer<typeof ImportChange>;

export const ImportPreview = z.object({ changes: z.array(ImportChange), secretsIncluded: z.boolean() });
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportReport = z.object({
  items: z.array(z.object({ item: z.string(), outcome: z.enum(['applied', 'unchanged']), detail: z.string().nullable() })),
});
export type ImportReport = z.infer<typeof ImportReport>;
