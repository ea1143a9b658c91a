import { z } from 'zod';
import { Tier, TierCreate, TierId, TierList, TierUpdate } from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'tiers'>;

const IdParams = z.object({ id: TierId });
const ListQuery = z.object({ includeRetired: z.enum(['true', 'false']).optional() });

export const tierRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/container-tiers', summary: 'Container tiers (retired ones with ?includeRetired=true)', tag: 'tiers', access: 'user',
    query: ListQuery, response: TierList,
    handler: async ({ query }) => ({ items: await s.tiers.list(query.includeRetired === 'true') }),
  }),
  route({
    method: 'get', path: '/api/container-tiers/default', summary: 'The tier new projects get', tag: 'tiers', access: 'user',
    response: Tier,
    handler: async () => s.tiers.getDefault(),
  }),
  route({
    method: 'get', path: '/api/container-tiers/:id', summary: 'One tier', tag: 'tiers', access: 'user',
    params: IdParams, response: Tier, errors: [404],
    handler: async ({ params }) => s.tiers.get(params.id),
  }),
  route({
    method: 'post', path: '/api/container-tiers', summary: 'Create a tier (admin)', tag: 'tiers', access: 'admin',
    body: TierCreate, response: Tier, status: 201, errors: [403, 409],
    handler: async ({ body }) => s.tiers.create(body),
  }),
  route({
    method: 'patch', path: '/api/container-tiers/:id', summary: 'Update or retire a tier (admin)', tag: 'tiers', access: 'admin',
    params: IdParams, body: TierUpdate, response: Tier, errors: [403, 404, 409],
    handler: async ({ params, body }) => s.tiers.update(params.id, body),
  }),
  route({
    method: 'delete', path: '/api/container-tiers/:id', summary: 'Delete an unused tier (admin); retire one in use', tag: 'tiers', access: 'admin',
    params: IdParams, status: 204, errors: [403, 404, 409],
    handler: async ({ params }) => s.tiers.delete(params.id),
  }),
];
