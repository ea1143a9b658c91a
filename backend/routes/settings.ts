import { z } from 'zod';
import {
  EffectivePermissions, ImportPreview, ImportReport, PermissionSettings, ServerSettings, ServerSettingsUpdate,
  SettingsExport, SettingsExportRequest, SettingsImportRequest,
} from '../contract';
import { route, type RouteDef } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'settings'>;

const ProjectParams = z.object({ id: z.string().uuid('a project id') });

type Z = z.ZodType;

/** Every route here: in the OpenAPI document's settings section, for a signed-in user, about their own settings. */
function settingsRoute<P extends Z = z.ZodUnknown, B extends Z = z.ZodUnknown, R extends Z = z.ZodUnknown>(
  def: Omit<RouteDef<P, z.ZodUnknown, B, R>, 'tag' | 'access'>,
): RouteDef {
  return route({ ...def, tag: 'settings', access: 'user' });
}

/** Server-side user settings and OpenCode permissions (backend/settings). */
export const settingsRoutes = (s: Deps) => [
  settingsRoute({
    method: 'get', path: '/api/settings',
    summary: 'Your server-side settings: default model, permissions, notification webhook, custom providers, '
      + 'GitHub hosts, sync',
    response: ServerSettings,
    handler: async ({ user }) => s.settings.store.get(user.id),
  }),
  settingsRoute({
    method: 'put', path: '/api/settings',
    summary: 'Change the sections given (others are kept); applied at once, running agents included',
    body: ServerSettingsUpdate, response: ServerSettings, errors: [400, 404],
    handler: async ({ user, body }) => s.settings.store.update(user.id, body),
  }),
  settingsRoute({
    method: 'post', path: '/api/settings/export',
    summary: 'Your settings as a versioned JSON file; secrets only with includeSecrets, '
      + 'sealed with your passphrase (scrypt, AES-256-GCM)',
    body: SettingsExportRequest, response: SettingsExport, errors: [400],
    handler: async ({ user, body }) => s.settings.transfer.export(user.id, body),
  }),
  settingsRoute({
    method: 'post', path: '/api/settings/import/preview',
    summary: 'Check a settings file as a whole (errors name the field) and list what importing it would change',
    body: SettingsImportRequest, response: ImportPreview, errors: [400],
    handler: async ({ user, body }) => s.settings.transfer.preview(user.id, body.file, body.passphrase),
  }),
  settingsRoute({
    method: 'post', path: '/api/settings/import',
    summary: 'Import a settings file: all of it or nothing (409 import_failed), with a report of each item',
    body: SettingsImportRequest, response: ImportReport, errors: [400, 409],
    handler: async ({ user, body }) => s.settings.transfer.import(user.id, body.file, body.passphrase),
  }),
  settingsRoute({
    method: 'get', path: '/api/me/permissions',
    summary: 'Your default OpenCode permissions (unset tools: opencode allows them)',
    response: PermissionSettings,
    handler: async ({ user }) => s.settings.permissions.userDefault(user.id),
  }),
  settingsRoute({
    method: 'put', path: '/api/me/permissions',
    summary: 'Set your default OpenCode permissions; '
      + 'running agents that inherit them take them at their next tool call',
    body: PermissionSettings, response: PermissionSettings, errors: [400],
    handler: async ({ user, body }) => s.settings.permissions.setUserDefault(user.id, body),
  }),
  settingsRoute({
    method: 'get', path: '/api/projects/:id/permissions',
    summary: "A project's effective OpenCode permissions, where each comes from, and both layers",
    params: ProjectParams, response: EffectivePermissions, errors: [404],
    handler: async ({ user, params }) => s.settings.permissions.effective(user.id, params.id),
  }),
  settingsRoute({
    method: 'put', path: '/api/projects/:id/permissions',
    summary: "Replace a project's permission override ({} = follow your default); its running agent takes it at once",
    params: ProjectParams, body: PermissionSettings, response: EffectivePermissions,
    errors: [400, 404],
    handler: async ({ user, params, body }) => s.settings.permissions.setProjectOverride(user.id, params.id, body),
  }),
];
