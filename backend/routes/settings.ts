import { z } from 'zod';
import { EffectivePermissions, PermissionSettings } from '../contract';
import { route } from '../http/route';
import type { Services } from '../services/container';

const ProjectParams = z.object({ id: z.string().uuid('a project id') });

/** Server-side user settings and OpenCode permissions (backend/settings). */
export const settingsRoutes = (s: Services) => [
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
