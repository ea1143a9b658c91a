import type { Middleware } from 'koa';
import { HttpError } from '../errors';

/** The methods the API routes; anything else (PROPFIND, TRACE, BREW…) is 501 before any work. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function methodGuard(): Middleware {
  return async (ctx, next) => {
    if (!KNOWN_METHODS.has(ctx.method)) {
      ctx.set('Allow', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      throw new HttpError(501, 'method_not_implemented', `The API does not implement the ${ctx.method.slice(0, 32)} method. The routes and their methods are listed in /api/openapi.json.`, undefined, true);
    }
    return next();
  };
}

/**
 * Request bodies are accepted as sent, never compressed: a Content-Encoding other than identity
 * is 415 before the body is read (a bogus gzip/deflate/br body would otherwise fail inside zlib).
 */
export function contentEncodingGuard(): Middleware {
  return async (ctx, next) => {
    const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      throw new HttpError(415, 'unsupported_content_encoding', 'Send the request body uncompressed (no Content-Encoding); the API does not accept compressed bodies.');
    }
    return next();
  };
}

/** Deeper JSON than any route takes; the proxy re-serialises bodies, which recurses. */
export const MAX_BODY_DEPTH = 64;

/** 400 for a parsed body nested deeper than `max` (checked without recursion). */
export function bodyDepthGuard(max = MAX_BODY_DEPTH): Middleware {
  return async (ctx, next) => {
    const body = (ctx.request as { body?: unknown }).body;
    if (body !== null && typeof body === 'object' && depthExceeds(body, max)) {
      throw new HttpError(400, 'body_too_deep', `The JSON body is nested more than ${max} levels deep; no API route takes that.`);
    }
    return next();
  };
}

export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
