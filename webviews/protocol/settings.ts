// The Hangar settings webview's messages (issue #15). The host validates every edit again with the
// API's own schemas (backend/contract/settings.ts) before it sends it; these only fix the shapes.
import * as z from 'zod/mini';
import { Ready, RequestId, ResponseMessage } from './common';

export const ActionView = z.enum(['ask', 'allow', 'deny']);
export type ActionView = z.infer<typeof ActionView>;
export const SourceView = z.enum(['project', 'user', 'default']);
export const TOOL_VIEWS = ['bash', 'edit', 'write', 'webfetch', 'mcp'] as const;
export const ToolView = z.enum(TOOL_VIEWS);
export type ToolView = z.infer<typeof ToolView>;

export const BashRuleView = z.strictObject({ pattern: z.string().check(z.maxLength(300)), action: ActionView });
export type BashRuleView = z.infer<typeof BashRuleView>;

/** One layer (the user's default or a project's override): an unset tool inherits. */
export const PermissionsView = z.strictObject({
  bash: z.optional(ActionView), edit: z.optional(ActionView), write: z.optional(ActionView),
  webfetch: z.optional(ActionView), mcp: z.optional(ActionView),
  bashRules: z.optional(z.array(BashRuleView).check(z.maxLength(100))),
});
export type PermissionsView = z.infer<typeof PermissionsView>;

const Effective = z.strictObject({ action: ActionView, source: SourceView });
export const ProjectPermissionsView = z.strictObject({
  projectId: z.string(),
  name: z.string(),
  tools: z.strictObject({ bash: Effective, edit: Effective, write: Effective, webfetch: Effective, mcp: Effective }),
  bashRules: z.strictObject({ rules: z.array(BashRuleView), source: SourceView }),
  override: PermissionsView,
});
export type ProjectPermissionsView = z.infer<typeof ProjectPermissionsView>;

export const WebhookView = z.strictObject({
  url: z.string(), kinds: z.array(z.enum(['done', 'failed', 'needs-approval'])),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** The server-side settings as the view shows them (secrets never: only which ones exist). */
export const SettingsView = z.strictObject({
  defaultModel: z.nullable(z.strictObject({ providerId: z.string(), modelId: z.string() })),
  permissions: PermissionsView,
  notificationWebhook: z.nullable(WebhookView),
  customProviders: z.array(z.strictObject({
    id: z.string(), name: z.string(), baseURL: z.string(), models: z.number(),
  })),
  githubHosts: z.array(z.string()),
  pullMode: z.enum(['merge', 'rebase']),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsPanelState = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('loading') }),
  z.strictObject({ kind: z.literal('unavailable'), message: z.string() }),
  z.strictObject({
    kind: z.literal('ready'),
    settings: SettingsView,
    projects: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    project: z.nullable(ProjectPermissionsView),
  }),
]);
export type SettingsPanelState = z.infer<typeof SettingsPanelState>;

export const SettingsHostToWebview = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: SettingsPanelState }),
  ResponseMessage,
]);
export type SettingsHostToWebview = z.infer<typeof SettingsHostToWebview>;

/** One section of the server-side settings to change (the host checks it with the API's schema). */
export const SettingsEdit = z.discriminatedUnion('section', [
  z.strictObject({ section: z.literal('permissions'), value: PermissionsView }),
  z.strictObject({ section: z.literal('pullMode'), value: z.enum(['merge', 'rebase']) }),
  z.strictObject({ section: z.literal('notificationWebhook'), value: z.nullable(WebhookView) }),
  z.strictObject({
    section: z.literal('defaultModel'),
    value: z.nullable(z.strictObject({ providerId: z.string(), modelId: z.string() })),
  }),
]);
export type SettingsEdit = z.infer<typeof SettingsEdit>;

export const SettingsWebviewToHost = z.discriminatedUnion('type', [
  Ready,
  z.strictObject({ type: z.literal('refresh'), requestId: RequestId }),
  z.strictObject({ type: z.literal('save'), requestId: RequestId, edit: SettingsEdit }),
  z.strictObject({ type: z.literal('selectProject'), requestId: RequestId, projectId: z.nullable(z.string()) }),
  z.strictObject({
    type: z.literal('saveProjectPermissions'), requestId: RequestId,
    projectId: z.string(), permissions: PermissionsView,
  }),
  z.strictObject({ type: z.literal('exportSettings'), requestId: RequestId }),
  z.strictObject({ type: z.literal('importSettings'), requestId: RequestId }),
  z.strictObject({ type: z.literal('openClientSettings'), requestId: RequestId }),
]);
export type SettingsWebviewToHost = z.infer<typeof SettingsWebviewToHost>;

/** What the webview keeps across reloads. */
export const SettingsPersistedState = z.strictObject({ v: z.literal(1), projectId: z.nullable(z.string()) });
export type SettingsPersistedState = z.infer<typeof SettingsPersistedState>;
