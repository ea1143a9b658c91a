import { Health } from '../contract';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'config' | 'startedAt'>;

export const healthRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/health', summary: 'Liveness of the API (no token needed)', tag: 'system', access: 'public',
    response: Health,
    handler: async () => ({ ok: true as const, version: s.config.version, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) }),
  }),
];
