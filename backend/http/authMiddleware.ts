import type { Middleware } from 'koa';
import { unauthorized } from '../errors';
import type { UserService } from '../services/users';

/**
 * The exact paths (case-sensitive, as the router matches them) that answer without a token.
 * Every other request needs `Authorization: Bearer`, whatever its path looks like: the check is
 * total, so `/API/…`, `/Api/…` or `//api/…` cannot slip past it. Routes check it again
 * (mountRoutes), so authentication is also a property of each route.
 */
// The opencode webhook carries no token: its route verifies an HMAC under the project's secret.
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/api/health', '/api/webhooks/opencode']);

export function authMiddleware(users: UserService): Middleware {
  return async (ctx, next) => {
    if (PUBLIC_PATHS.has(ctx.path)) return next();
    const header = ctx.get('Authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Send an API token as "Authorization: Bearer <token>". Create one with `hangar-api token create`.');
    const user = await users.authenticate(match[1]!);
    if (!user) throw unauthorized('This API token is unknown or revoked. Create a new one with `hangar-api token create`.');
    ctx.state.user = user;
    return next();
  };
}
