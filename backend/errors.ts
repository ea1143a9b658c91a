import type { ErrorCode } from './contract';

/** Domain errors carry their HTTP status, a stable code and whether the message may reach the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly expose = status < 500,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: ErrorCode, message: string, details?: unknown) =>
  new HttpError(409, code, message, details);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const badRequest = (code: ErrorCode, message: string, details?: unknown) =>
  new HttpError(400, code, message, details);
