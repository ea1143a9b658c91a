import { z } from 'zod';
import {
  WorkspaceDeleteQuery, WorkspaceDirectory, WorkspaceEntryQuery, WorkspaceFileContent, WorkspaceMkdirBody, WorkspacePathQuery,
  WorkspaceRenameBody, WorkspaceStat, WorkspaceWriteBody,
} from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';
import { WorkspaceFiles } from '../workspaceFiles/workspaceFiles';

const IdParams = z.object({ id: z.string().uuid('a project id') });
const PREFIX = '/api/projects/:id/files';
const ERRORS = [400, 403, 404, 409, 413, 502];
type Deps = Pick<Services, 'projects' | 'lifecycle' | 'agent' | 'hub' | 'log'>;

/** The file service over the API's services (kept here so the composition root stays as it is). */
export function workspaceFilesFor(s: Deps): WorkspaceFiles {
  return new WorkspaceFiles({
    ownedRow: (userId, projectId) => s.projects.ownedRow(userId, projectId),
    driverFor: (projectId) => s.lifecycle.driverFor(projectId),
    workspace: (projectId, runtime) => s.agent.workspace(projectId, runtime),
    agentTarget: (userId, projectId) => s.agent.targets.forUser(userId, projectId),
    publish: (userId, data) => { s.hub.publish(userId, 'workspace.changed', data); },
    log: s.log,
  });
}

/**
 * A project's workspace as files (the extension's `hangar:` scheme), on every runtime, confined to
 * the workspace: paths are relative, symlinks leading out are refused, files up to 512 KiB.
 */
export const workspaceFileRoutes = (s: Deps) => {
  const files = workspaceFilesFor(s);
  return [
    route({
      method: 'get', path: `${PREFIX}/stat`, summary: 'What a path is: file or folder, size, times (?path=, empty for the workspace)',
      tag: 'files', access: 'user', params: IdParams, query: WorkspacePathQuery, response: WorkspaceStat, errors: ERRORS,
      handler: async ({ user, params, query }) => files.stat(user.id, params.id, query.path),
    }),
    route({
      method: 'get', path: `${PREFIX}/list`, summary: 'A folder\'s entries (?path=, empty for the workspace)',
      tag: 'files', access: 'user', params: IdParams, query: WorkspacePathQuery, response: WorkspaceDirectory, errors: ERRORS,
      handler: async ({ user, params, query }) => files.list(user.id, params.id, query.path),
    }),
    route({
      method: 'get', path: `${PREFIX}/content`, summary: 'A file\'s content as base64 (?path=)',
      tag: 'files', access: 'user', params: IdParams, query: WorkspaceEntryQuery, response: WorkspaceFileContent, errors: ERRORS,
      handler: async ({ user, params, query }) => files.read(user.id, params.id, query.path),
    }),
    route({
      method: 'put', path: `${PREFIX}/content`,
      summary: 'Write a file {path, content (base64), create, overwrite}; a change to opencode.json or .opencode/ reloads the agent',
      tag: 'files', access: 'user', params: IdParams, body: WorkspaceWriteBody, status: 204, errors: ERRORS,
      handler: async ({ user, params, body }) => { await files.write(user.id, params.id, body); },
    }),
    route({
      method: 'post', path: `${PREFIX}/directory`, summary: 'Create a folder {path} (its parent must exist)',
      tag: 'files', access: 'user', params: IdParams, body: WorkspaceMkdirBody, status: 204, errors: ERRORS,
      handler: async ({ user, params, body }) => { await files.mkdir(user.id, params.id, body.path); },
    }),
    route({
      method: 'delete', path: PREFIX, summary: 'Delete a file or folder (?path=&recursive=true for a folder with files)',
      tag: 'files', access: 'user', params: IdParams, query: WorkspaceDeleteQuery, status: 204, errors: ERRORS,
      handler: async ({ user, params, query }) => { await files.delete(user.id, params.id, query.path, query.recursive === 'true'); },
    }),
    route({
      method: 'post', path: `${PREFIX}/rename`, summary: 'Rename or move {from, to, overwrite}',
      tag: 'files', access: 'user', params: IdParams, body: WorkspaceRenameBody, status: 204, errors: ERRORS,
      handler: async ({ user, params, body }) => { await files.rename(user.id, params.id, body); },
    }),
  ];
};
