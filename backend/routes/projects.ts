import { z } from 'zod';
import { DeleteProjectQuery, Project, ProjectCreate, ProjectList, ProjectUpdate } from '../contract';
import { route } from '../http/route';
import type { Services } from '../services/container';

const IdParams = z.object({ id: z.string().uuid('a project id') });

export const projectRoutes = (s: Services) => [
  route({
    method: 'get', path: '/api/projects', summary: 'Your projects, newest first', tag: 'projects', access: 'user',
    response: ProjectList,
    handler: async ({ user }) => ({ items: await s.projects.list(user.id) }),
  }),
  route({
    method: 'post', path: '/api/projects', summary: 'Create a project', tag: 'projects', access: 'user',
    body: ProjectCreate, response: Project, status: 201, errors: [409],
    handler: async ({ user, body }) => s.projects.create(user.id, body),
  }),
  route({
    method: 'get', path: '/api/projects/:id', summary: 'One of your projects', tag: 'projects', access: 'user',
    params: IdParams, response: Project, errors: [404],
    handler: async ({ user, params }) => s.projects.get(user.id, params.id),
  }),
  route({
    method: 'patch', path: '/api/projects/:id', summary: 'Rename a project, change its tier, provider or repository', tag: 'projects', access: 'user',
    params: IdParams, body: ProjectUpdate, response: Project, errors: [404, 409],
    handler: async ({ user, params, body }) => s.projects.update(user.id, params.id, body),
  }),
  route({
    method: 'delete', path: '/api/projects/:id',
    summary: 'Delete a project and its container; its workspace too with ?deleteVolumes=true&confirm=<slug>', tag: 'projects', access: 'user',
    params: IdParams, query: DeleteProjectQuery, status: 204, errors: [404, 409, 502],
    handler: async ({ user, params, query }) => s.operations.deleteProject(user.id, params.id, { deleteVolumes: query.deleteVolumes === 'true', confirm: query.confirm }),
  }),
];
