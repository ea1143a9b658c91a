import { WebhookAccepted } from '../contract';
import { route } from '../http/route';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../activity/signature';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'activity'>;

/**
 * Called by the opencode plugin inside each project's runtime. No bearer token: the body is
 * authenticated by its HMAC under the project's webhook secret (see authMiddleware).
 */
export const webhookRoutes = (s: Deps) => [
  route({
    method: 'post', path: '/api/webhooks/opencode', summary: 'Session events from the opencode plugin (HMAC-signed)', tag: 'activity', access: 'public',
    response: WebhookAccepted, errors: [400, 401, 413],
    handler: async ({ ctx }) => s.activity.receive({
      raw: (ctx.request as { rawBody?: string }).rawBody,
      timestamp: ctx.get(TIMESTAMP_HEADER) || undefined,
      signature: ctx.get(SIGNATURE_HEADER) || undefined,
    }),
  }),
];
