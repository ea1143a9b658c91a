import { CoolifyServerList, RuntimeList, RuntimeParams, WarmPoolBody, WarmPoolState } from '../contract';
import { coolifyServerList } from '../runtime/serverLoads';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'drivers' | 'warmPools'>;

/** Which runtimes this API drives (Create Project offers the available ones; the default is preselected). */
export const runtimeRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/runtimes', summary: 'The runtimes projects can be created on, and the default', tag: 'projects', access: 'user',
    response: RuntimeList,
    handler: async () => ({ items: s.drivers.availability() }),
  }),
  route({
    method: 'get', path: '/api/runtimes/:name/warm-pool', summary: 'The runtime\'s warm pool: its size and its ready agents (admin)', tag: 'projects', access: 'admin',
    params: RuntimeParams, response: WarmPoolState,
    handler: async ({ params }) => s.warmPools.state(params.name),
  }),
  route({
    method: 'put', path: '/api/runtimes/:name/warm-pool', summary: 'Set the runtime\'s warm pool size, 0 = off (admin); kept across restarts', tag: 'projects', access: 'admin',
    params: RuntimeParams, body: WarmPoolBody, response: WarmPoolState,
    handler: async ({ params, body }) => s.warmPools.resize(params.name, body.size),
  }),
  route({
    method: 'get', path: '/api/runtimes/coolify/servers', tag: 'projects', access: 'admin',
    summary: 'The Coolify servers projects are placed on: capacity, what Hangar\'s applications reserve, usable (admin)',
    response: CoolifyServerList,
    handler: async () => coolifyServerList(s.drivers),
  }),
];
