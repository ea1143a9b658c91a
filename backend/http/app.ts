import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Services } from '../compositionRoot';
import { errorMiddleware } from './errorMiddleware';
import { authMiddleware } from './authMiddleware';
import { bodyDepthGuard, contentEncodingGuard, methodGuard } from './requestGuards';
import { mountRoutes, route, type RouteDef } from './route';
import { buildOpenApi } from './openapi';
import { idempotencyMiddleware } from './idempotencyMiddleware';
import { IdempotencyStore } from '../idempotency/idempotencyStore';
import { healthRoutes } from '../routes/health';
import { tokenRoutes } from '../routes/tokens';
import { tierRoutes } from '../routes/tiers';
import { projectRoutes } from '../routes/projects';
import { eventRoutes } from '../routes/events';
import { containerRoutes } from '../routes/containers';
import { agentProxyFallbackRoutes, agentProxyRoutes } from '../routes/agentProxy';
import { webhookRoutes } from '../routes/webhooks';
import { activityRoutes } from '../routes/activity';
import { providerRoutes } from '../routes/providers';
import { oauthRoutes } from '../routes/oauth';
import { vncRoutes } from '../routes/vnc';
import { runtimeRoutes } from '../routes/runtimes';
import { syncRoutes } from '../routes/sync';
import { githubRoutes } from '../routes/github';
import { workspaceFileRoutes } from '../routes/workspaceFiles';
import { settingsRoutes } from '../routes/settings';

export function allRoutes(s: Services): RouteDef[] {
  const defs = [...healthRoutes(s), ...tokenRoutes(s), ...tierRoutes(s), ...projectRoutes(s), ...containerRoutes(s), ...eventRoutes(s), ...webhookRoutes(s), ...activityRoutes(s), ...providerRoutes(s), ...oauthRoutes(s), ...vncRoutes(s), ...runtimeRoutes(s), ...syncRoutes(s), ...githubRoutes(s), ...agentProxyRoutes(s)];
  defs.push(...workspaceFileRoutes(s), ...settingsRoutes(s));
  const openapi = buildOpenApi(defs, s.config.version);
  return [
    ...defs,
    route({
      method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'system', access: 'user',
      handler: async () => openapi,
    }),
  ];
}

export function createApp(s: Services): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      s.log.debug('request', { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) });
    }
  });
  app.use(errorMiddleware(s.log));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(methodGuard());
  // Who is asking is settled before any body is read.
  app.use(authMiddleware(s.users));
  app.use(contentEncodingGuard());
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: s.config.bodyLimit, encoding: 'utf-8' }));
  app.use(bodyDepthGuard());
  app.use(idempotencyMiddleware(new IdempotencyStore(s.db, { leaseMs: 2 * 60 * 1000 }), s.log));
  // Case-sensitive: `/API/projects` is not `/api/projects` (and needs a token anyway, see authMiddleware).
  const router = new Router({ sensitive: true });
  mountRoutes(router, allRoutes(s));
  // Last: whatever else is under /api/projects/:id/opencode is 404 not_proxied.
  mountRoutes(router, agentProxyFallbackRoutes(s));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
