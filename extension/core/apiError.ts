/** A failed API call, whatever the cause: an HTTP error body, a network failure or an invalid response. */
export type ApiErrorCode =
  | 'network_error'
  | 'timeout'
  | 'invalid_response'
  | 'aborted'
  // Anything the server sent in `error.code` (unauthorised, not_found, conflict, validation_failed, ...).
  | (string & {});

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
