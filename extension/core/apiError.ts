import type { ErrorCode } from '../../backend/contract';

/** Failures the client finds on its own, before or without an HTTP error body. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response' | 'aborted' | 'not_connected' | 'unauthorised';

/**
 * A failed API call, whatever the cause: an HTTP error body (its code from the contract's union,
 * backend/contract/errors.ts), a network failure or an invalid response. A code this build does
 * not know (a newer server) passes through unchanged, hence the open `string` at the end.
 */
export type ApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly context: { method: string; path: string },
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The server is unreachable (status 0 means no HTTP answer at all). */
  get isNetwork(): boolean {
    return this.status === 0 && (this.code === 'network_error' || this.code === 'timeout');
  }

  get isUnauthorised(): boolean {
    return this.status === 401;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** One line for logs: method, path, status, code and message; never headers or bodies. */
export function describeApiError(e: ApiError): string {
  return `${e.context.method} ${e.context.path} failed: ${e.status || 'no response'} ${e.code}: ${e.message}`;
}

/** The 409 a container action gets while another operation runs on the project, with that operation. */
export function operationInProgress(e: unknown): { operationId: string; kind: string } | undefined {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'operation_in_progress') return undefined;
  const d = e.details as { operationId?: unknown; kind?: unknown } | undefined;
  return typeof d?.operationId === 'string' ? { operationId: d.operationId, kind: typeof d.kind === 'string' ? d.kind : 'operation' } : undefined;
}
