import { z } from 'zod';
import { SyncConflictFile, SyncConflictQuery, SyncFetchBody, SyncImportBody, SyncResolveBody, SyncOperationAccepted, SyncPullBody, SyncPushBody, SyncSettings, SyncSettingsBody, SyncStatus } from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'projects' | 'sync'>;

const IdParams = z.object({ id: z.string().uuid('a project id') });

/**
 * GitHub sync of a project's workspace. The actions answer 202 with their operation; progress comes
 * as operation.progress/operation.finished, then sync.result and sync.status on /api/events.
 */
export const syncRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/projects/:id/sync',
    summary: 'Sync status: branch, upstream, ahead/behind (as of the last fetch), dirty and conflicted files, commits ahead and behind', tag: 'sync', access: 'user',
    params: IdParams, response: SyncStatus, errors: [404],
    handler: async ({ user, params }) => s.sync.status(user.id, params.id),
  }),
  route({
    method: 'post', path: '/api/projects/:id/sync/fetch', summary: 'Fetch the project\'s branch from GitHub (an operation)', tag: 'sync', access: 'user',
    params: IdParams, body: SyncFetchBody, response: SyncOperationAccepted, status: 202, errors: [404, 409],
    handler: async ({ user, params }) => ({ operation: await s.sync.submit(user.id, params.id, 'fetch') }),
  }),
  route({
    method: 'post', path: '/api/projects/:id/sync/push',
    summary: 'Push the branch (refused when behind); {force:true} uses --force-with-lease on the last fetched commit and reports what it overwrote', tag: 'sync', access: 'user',
    params: IdParams, body: SyncPushBody, response: SyncOperationAccepted, status: 202, errors: [404, 409],
    handler: async ({ user, params, body }) => ({ operation: await s.sync.submit(user.id, params.id, 'push', body) }),
  }),
  route({
    method: 'post', path: '/api/projects/:id/sync/pull',
    summary: 'Pull (merge or rebase); uncommitted work is committed or stashed first; on conflict abort (files listed) or keep the merge in progress', tag: 'sync', access: 'user',
    params: IdParams, body: SyncPullBody, response: SyncOperationAccepted, status: 202, errors: [404, 409],
    handler: async ({ user, params, body }) => ({ operation: await s.sync.submit(user.id, params.id, 'pull', body) }),
  }),
  route({
    method: 'post', path: '/api/projects/:id/sync/import',
    summary: 'Import the project\'s repository into its workspace (done once automatically after the first deploy)', tag: 'sync', access: 'user',
    params: IdParams, body: SyncImportBody, response: SyncOperationAccepted, status: 202, errors: [404, 409],
    handler: async ({ user, params }) => ({ operation: await s.sync.submit(user.id, params.id, 'import') }),
  }),
  route({
    method: 'get', path: '/api/projects/:id/sync/conflict',
    summary: 'One conflicting file\'s base, ours and theirs as the workspace has them now (git stages during a kept merge, else merge base, HEAD and upstream)', tag: 'sync', access: 'user',
    params: IdParams, query: SyncConflictQuery, response: SyncConflictFile, errors: [400, 404, 409],
    handler: async ({ user, params, query }) => s.sync.conflictFile(user.id, params.id, query.path),
  }),
  route({
    method: 'put', path: '/api/projects/:id/sync/conflict',
    summary: 'Save the resolution of one conflicting file (the merge editor\'s result): written through git\'s index, the file is marked resolved', tag: 'sync', access: 'user',
    params: IdParams, body: SyncResolveBody, status: 204, errors: [400, 404, 409],
    handler: async ({ user, params, body }) => { await s.sync.resolveConflict(user.id, params.id, body.path, body.content); },
  }),
  route({
    method: 'put', path: '/api/projects/:id/sync/settings', summary: 'How the project pulls by default: merge or rebase', tag: 'sync', access: 'user',
    params: IdParams, body: SyncSettingsBody, response: SyncSettings, errors: [404],
    handler: async ({ user, params, body }) => {
      await s.projects.ownedRow(user.id, params.id);
      await s.sync.store.update(params.id, { pull_mode: body.pullMode });
      return { pullMode: body.pullMode };
    },
  }),
];
