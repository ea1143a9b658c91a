import { z } from 'zod';
import {
  EffectivePermissions, ImportPreview, ImportReport, PermissionSettings, ServerSettings, ServerSettingsUpdate, SettingsExport,
  SettingsExportRequest, SettingsImportRequest,
} from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'settings'>;

const ProjectParams = z.object({ id: z.string().uuid('a project id') });

/** Server-side user settings and OpenCode permissions (backend/settings). */
export const settingsRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/settings',
    summary: 'Your server-side settings: default model, permissions, notification webhook, custom providers, GitHub hosts, sync',
    tag: 'settings', access: 'user', response: ServerSettings,
    handler: async ({ user }) => s.settings.store.get(user.id),
  }),
  route({
    method: 'put', path: '/api/settings', summary: 'Change the sections given (others are kept); applied at once, running agents included',
    tag: 'settings', access: 'user', body: ServerSettingsUpdate, response: ServerSettings, errors: [400, 404],
    handler: async ({ user, body }) => s.settings.store.update(user.id, body),
  }),
  route({
    method: 'post', path: '/api/settings/export',
    summary: 'Your settings as a versioned JSON file; secrets only with includeSecrets, sealed with your passphrase (scrypt, AES-256-GCM)',
    tag: 'settings', access: 'user', body: SettingsExportRequest, response: SettingsExport, errors: [400],
    handler: async ({ user, body }) => s.settings.transfer.export(user.id, body),
  }),
  route({
    method: 'post', path: '/api/settings/import/preview',
    summary: 'Check a settings file as a whole (errors name the field) and list what importing it would change',
    tag: 'settings', access: 'user', body: SettingsImportRequest, response: ImportPreview, errors: [400],
    handler: async ({ user, body }) => s.settings.transfer.preview(user.id, body.file, body.passphrase),
  }),
  route({
    method: 'post', path: '/api/settings/import',
    summary: 'Import a settings file: all of it or nothing (409 import_failed), with a report of each item',
    tag: 'settings', access: 'user', body: SettingsImportRequest, response: ImportReport, errors: [400, 409],
    handler: async ({ user, body }) => s.settings.transfer.import(user.id, body.file, body.passphrase),
  }),
  route({
    method: 'get', path: '/api/me/permissions', summary: 'Your default OpenCode permissions (unset tools: opencode allows them)',
    tag: 'settings', access: 'user', response: PermissionSettings,
    handler: async ({ user }) => s.settings.permissions.userDefault(user.id),
  }),
  route({
    method: 'put', path: '/api/me/permissions',
    summary: 'Set your default OpenCode permissions; running agents that inherit them take them at their next tool call',
    tag: 'settings', access: 'user', body: PermissionSettings, response: PermissionSettings, errors: [400],
    handler: async ({ user, body }) => s.settings.permissions.setUserDefault(user.id, body),
  }),
  route({
    method: 'get', path: '/api/projects/:id/permissions',
    summary: "A project's effective OpenCode permissions, where each comes from, and both layers",
    tag: 'settings', access: 'user', params: ProjectParams, response: EffectivePermissions, errors: [404],
    handler: async ({ user, params }) => s.settings.permissions.effective(user.id, params.id),
  }),
  route({
    method: 'put', path: '/api/projects/:id/permissions',
    summary: "Replace a project's permission override ({} = follow your default); its running agent takes it at once",
    tag: 'settings', access: 'user', params: ProjectParams, body: PermissionSettings, response: EffectivePermissions,
    errors: [400, 404],
    handler: async ({ user, params, body }) => s.settings.permissions.setProjectOverride(user.id, params.id, body),
  }),
];
