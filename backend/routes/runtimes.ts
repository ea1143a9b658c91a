import { RuntimeList } from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'drivers'>;

/** Which runtimes this API drives (Create Project offers the available ones; the default is preselected). */
export const runtimeRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/runtimes', summary: 'The runtimes projects can be created on, and the default', tag: 'projects', access: 'user',
    response: RuntimeList,
    handler: async () => ({ items: s.drivers.availability() }),
  }),
];
