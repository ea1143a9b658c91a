import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import type { ApiErrorBody, ErrorCode } from '../contract';
import { HttpError } from '../errors';
import type { Logger } from '../logger';

/** The single place where any failure becomes `{"error":{code,message,details?}}`. */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'not_found', `There is no route ${ctx.method} ${ctx.path}. The routes are listed in /api/openapi.json.`);
      }
    } catch (err) {
      const { status, body } = toErrorResponse(err);
      if (status >= 500) log.error('request failed', { method: ctx.method, path: ctx.path, error: err instanceof Error ? err.stack ?? err.message : String(err) });
      ctx.status = status;
      ctx.body = body;
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="hangar"');
    }
  };
}

/** One error answer: the status and the body with a code from the contract's union (contract/errors.ts). */
function answer(
  status: number, code: ErrorCode, message: string, details?: unknown,
): { status: number; body: ApiErrorBody } {
  return { status, body: { error: { code, message, ...(details !== undefined ? { details } : {}) } } };
}

export function toErrorResponse(err: unknown): { status: number; body: ApiErrorBody } {
  if (err instanceof ZodError) {
    const fields = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = fields[0];
    const message = first ? `Invalid request: ${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid request.';
    return answer(400, 'validation_failed', message, { fields });
  }
  if (err instanceof HttpError) {
    if (!err.expose) return answer(err.status, err.code, 'Internal server error.');
    return answer(err.status, err.code, err.message, err.details);
  }
  if (isDiskFull(err)) {
    return answer(507, 'insufficient_storage', 'The server\'s data disk is full, so this change was not saved. '
      + 'Free space on the volume of its data dir (HANGAR_DATA_DIR), then retry.');
  }
  // Errors thrown by Koa and its middleware (body parser: 413, malformed JSON: 400, 415).
  const e = err as { status?: number; statusCode?: number; expose?: boolean; message?: string; type?: string };
  const status = e.status ?? e.statusCode ?? 500;
  if (status === 413) {
    return answer(status, 'payload_too_large', 'The request body is too large; send less than the server limit (HANGAR_BODY_LIMIT).');
  }
  if (status === 415) return answer(status, 'unsupported_media_type', 'Send the body as application/json.');
  if (status === 405) {
    return answer(status, 'method_not_allowed',
      'This route does not take that method; the methods it takes are in the Allow header and /api/openapi.json.');
  }
  if (status === 501) return answer(status, 'method_not_implemented', 'The API does not implement this method.');
  if (status === 400) return answer(status, 'invalid_body', `The request body is not valid JSON: ${e.message ?? 'parse error'}`);
  if (status < 500 && e.expose) return answer(status, `http_${status}`, e.message ?? 'Request failed.');
  return answer(500, 'internal', 'Internal server error. The server log has the details.');
}

/**
 * ENOSPC/EDQUOT from the file system, SQLITE_FULL or PostgreSQL's disk_full (53100) from the
 * database, also when wrapped as a cause.
 */
function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100') return true;
  }
  return false;
}
