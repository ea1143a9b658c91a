import type { Context } from 'koa';
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { AuthUser } from '../services/users';
import { forbidden, unauthorized } from '../errors';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A handler returns this when the client's If-None-Match matched the ETag it set: the answer is 304, no body. */
export const NOT_MODIFIED = Symbol('not modified');

/** Whether an If-None-Match header (a list of tags, weak or strong, or `*`) names `etag`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: AuthUser;
  ctx: Context;
}

/**
 * One route: its schemas validate the request, type the handler, check the response and
 * generate the OpenAPI document. `access` says who may call it.
 */
export interface RouteDef<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: 'public' | 'user' | 'admin';
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  /** Success status; 204 routes return nothing. */
  status?: number;
  /** Streaming routes (SSE) write ctx.body themselves. */
  stream?: boolean;
  errors?: number[];
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.infer<R> | void | typeof NOT_MODIFIED>;
  /** Answers may be 304 Not Modified (the handler checks If-None-Match against the ETag it sets). */
  conditional?: boolean;
}

export function route<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown, R extends z.ZodType = z.ZodUnknown>(
  def: RouteDef<P, Q, B, R>,
): RouteDef {
  return def as unknown as RouteDef;
}

export function mountRoutes(router: Router, defs: RouteDef[]): void {
  for (const def of defs) {
    router[def.method](def.path, async (ctx) => {
      const user = ctx.state.user as AuthUser | undefined;
      // Never rely on a path prefix alone: a route that is not public needs an authenticated user.
      if (def.access !== 'public' && !user) throw unauthorized('Send an API token as "Authorization: Bearer <token>".');
      if (def.access === 'admin' && user?.role !== 'admin') throw forbidden('Only an administrator can do this.');
      const params = def.params ? def.params.parse(ctx.params) : ctx.params;
      const query = def.query ? def.query.parse(ctx.query) : ctx.query;
      const body = def.body ? def.body.parse((ctx.request as { body?: unknown }).body ?? {}) : undefined;
      const result = await def.handler({ params, query, body, user: user as AuthUser, ctx });
      if (def.stream) return;
      if (result === NOT_MODIFIED) {
        ctx.status = 304;
        return;
      }
      ctx.status = def.status ?? 200;
      if (ctx.status !== 204) ctx.body = def.response ? def.response.parse(result) : result;
    });
  }
}
