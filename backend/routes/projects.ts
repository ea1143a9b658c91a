import { z } from 'zod';
import { createHash } from 'node:crypto';
import { DeleteProjectQuery, Operation, Project, ProjectCreate, ProjectList, ProjectListQuery, ProjectRedeploy, ProjectUpdate, TimelinePage, TimelineQuery, UnsyncedGuardQuery } from '../contract';
import { conflict } from '../errors';
import { matchesIfNoneMatch, NOT_MODIFIED, route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'drivers' | 'operations' | 'projects' | 'redeploy' | 'sync' | 'timeline'>;

const IdParams = z.object({ id: z.string().uuid('a project id') });

export const projectRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/projects',
    summary: 'Your projects, newest first, a page at a time (?limit, default 100; ?cursor=nextCursor for the next); with If-None-Match, 304 while the list is unchanged',
    tag: 'projects', access: 'user', query: ProjectListQuery, response: ProjectList, conditional: true,
    handler: async ({ user, query, ctx }) => {
      // The tag first: a change between it and the page makes the client's next request a 200, never a stale 304.
      const tag = await s.projects.listTag(user.id);
      const etag = listEtag(tag, query.limit, query.cursor);
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', 'private, no-cache');
      if (matchesIfNoneMatch(ctx.get('If-None-Match'), etag)) return NOT_MODIFIED;
      // Another window asking for the same unchanged page is answered without reading the rows again.
      return s.projects.page(user.id, query.limit, query.cursor, tag);
    },
  }),
  route({
    method: 'post', path: '/api/projects', summary: 'Create a project', tag: 'projects', access: 'user',
    body: ProjectCreate, response: Project, status: 201, errors: [409],
    handler: async ({ user, body }) => {
      if (body.runtime && !s.drivers.get(body.runtime)) throw conflict('runtime_unavailable', `The ${body.runtime} runtime is not available on this server: ${s.drivers.problem(body.runtime)}. Choose another runtime (GET /api/runtimes).`);
      return s.projects.create(user.id, body);
    },
  }),
  route({
    method: 'get', path: '/api/projects/:id', summary: 'One of your projects', tag: 'projects', access: 'user',
    params: IdParams, response: Project, errors: [404],
    handler: async ({ user, params }) => s.projects.get(user.id, params.id),
  }),
  route({
    method: 'patch', path: '/api/projects/:id', summary: 'Rename a project, change its tier, provider or repository (a tier change answers 409 unsynced_changes when work is not on GitHub, unless ?ignoreUnsynced=true)', tag: 'projects', access: 'user',
    params: IdParams, query: UnsyncedGuardQuery, body: ProjectUpdate, response: Project, errors: [404, 409],
    handler: async ({ user, params, query, body }) => {
      // A tier change redeploys: work not on GitHub is guarded (409 unsynced_changes) unless ?ignoreUnsynced=true.
      if (body.tierId !== undefined && body.tierId !== (await s.projects.ownedRow(user.id, params.id)).tier_id) {
        await s.sync.guard(user.id, params.id, 'change the tier of', query.ignoreUnsynced === 'true');
      }
      return s.projects.update(user.id, params.id, body);
    },
  }),
  route({
    method: 'get', path: '/api/projects/:id/timeline',
    summary: 'What happened to one of your projects (deploys, restarts, crashes with their reason, pushes, pulls, …), newest first, a page at a time (?limit, ?cursor=nextCursor, ?kind=deploy,crash)',
    tag: 'projects', access: 'user', params: IdParams, query: TimelineQuery, response: TimelinePage, errors: [400, 404],
    handler: async ({ user, params, query }) => s.timeline.page(user.id, params.id, query),
  }),
  route({
    method: 'post', path: '/api/projects/:id/redeploy',
    summary: 'Change the tier and/or move to another runtime by a force redeploy that keeps the workspace and the agent\'s sessions; 409 while an operation runs, 409 unsynced_changes when work is not on GitHub (unless ?ignoreUnsynced=true)',
    tag: 'projects', access: 'user',
    params: IdParams, query: UnsyncedGuardQuery, body: ProjectRedeploy, response: Operation, status: 202, errors: [400, 404, 409],
    handler: async ({ user, params, query, body }) => s.redeploy.submit(user.id, params.id, body, query.ignoreUnsynced === 'true'),
  }),
  route({
    method: 'delete', path: '/api/projects/:id',
    summary: 'Delete a project and its container; its workspace too with ?deleteVolumes=true&confirm=<slug>; 409 unsynced_changes when work is not on GitHub, unless ?ignoreUnsynced=true', tag: 'projects', access: 'user',
    params: IdParams, query: DeleteProjectQuery, status: 204, errors: [404, 409, 502],
    handler: async ({ user, params, query }) => {
      await s.sync.guard(user.id, params.id, 'delete', query.ignoreUnsynced === 'true');
      return s.operations.deleteProject(user.id, params.id, { deleteVolumes: query.deleteVolumes === 'true', confirm: query.confirm });
    },
  }),
];

/** The ETag of one page: the owner's list tag (any change renews it) and which page this is. */
function listEtag(listTag: string, limit: number, cursor: string | undefined): string {
  const page = cursor ? createHash('sha256').update(cursor).digest('base64url').slice(0, 16) : 'first';
  return `"${listTag}.${limit}.${page}"`;
}
