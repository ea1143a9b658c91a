import type { Middleware } from 'koa';
import { unauthorized } from '../errors';
import type { UserService } from '../services/users';

/** Paths under /api that answer without a token. Everything else needs `Authorization: Bearer`. */
// The opencode webhook carries no token: its route verifies an HMAC under the project's secret.
const PUBLIC = new Set(['/api/health', '/api/webhooks/opencode']);

export function authMiddleware(users: UserService): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') || PUBLIC.has(ctx.path)) return next();
    const header = ctx.get('Authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Send an API token as "Authorization: Bearer <token>". Create one with `hangar-api token create`.');
    const user = await users.authenticate(match[1]!);
    if (!user) throw unauthorized('This API token is unknown or revoked. Create a new one with `hangar-api token create`.');
    ctx.state.user = user;
    return next();
  };
}
