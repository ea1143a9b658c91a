import type { COOLIFY_ERROR_CODES } from '../../contract';
import { HttpError } from '../../errors';

export type CoolifyErrorCode = (typeof COOLIFY_ERROR_CODES)[number];

/**
 * Something Coolify refused or failed, in words that say what to do next. A 502 for the API's own
 * clients (the fault is upstream), exposed because the message holds no secret: the token never
 * goes into one.
 */
export class CoolifyError extends HttpError {
  constructor(code: CoolifyErrorCode, message: string, readonly upstreamStatus?: number, details?: unknown) {
    super(502, code, message, details, true);
    this.name = 'CoolifyError';
  }
  declare readonly code: CoolifyErrorCode;
}

interface Conflict {
  domain?: string;
  resource_name?: string;
  resource_uuid?: string | null;
}

/** Turns one Coolify error answer into a CoolifyError; `what` names the call ("create the application"). */
export function errorFromResponse(status: number, body: unknown, what: string, instance: string): CoolifyError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; errors?: unknown; conflicts?: unknown };
  const message = typeof b.message === 'string' ? b.message : '';
  const said = message ? ` ("${message}")` : '';
  switch (status) {
    case 400:
    case 401:
      if (status === 401 || /token/i.test(message)) {
        return new CoolifyError('coolify_bad_token', `Coolify at ${instance} rejected the API token (${status}${said}). Create a token in Coolify (Keys & Tokens → API tokens, with read, write and deploy permissions) and store it with \`hangar-api coolify set-token\` (or set HANGAR_COOLIFY_TOKEN).`, status);
      }
      return new CoolifyError('coolify_error', `Coolify refused to ${what} (400${said}).`, status);
    case 403:
      if (/api is disabled/i.test(message)) {
        return new CoolifyError('coolify_api_disabled', `Coolify at ${instance} has its API disabled. An admin must enable API access in Coolify (Settings → Advanced → API Access), then retry.`, status);
      }
      return new CoolifyError('coolify_forbidden', `Coolify refused to ${what} (403${said}). Give the API token (\`hangar-api coolify set-token\` or HANGAR_COOLIFY_TOKEN) the read, write and deploy permissions (a root token works).`, status);
    case 404:
      return new CoolifyError('coolify_not_found', `Coolify could not ${what}: ${message || 'not found'} ${hintFor404(message)}`.trim(), status);
    case 409: {
      const conflicts = Array.isArray(b.conflicts) ? (b.conflicts as Conflict[]) : [];
      const list = conflicts.map((c) => `${c.domain ?? '?'} (used by '${c.resource_name ?? '?'}'${c.resource_uuid ? `, ${c.resource_uuid}` : ''})`).join(', ');
      return new CoolifyError('coolify_domain_conflict', `Coolify could not ${what}: the domain ${list || 'requested'} is already in use. Delete or rename the other resource in Coolify, or choose another HANGAR_COOLIFY_DOMAIN.`, status, { conflicts });
    }
    case 422: {
      const errors = (typeof b.errors === 'object' && b.errors !== null ? b.errors : {}) as Record<string, unknown>;
      const fields = Object.entries(errors).map(([field, msgs]) => `${field}: ${Array.isArray(msgs) ? msgs.join(' ') : String(msgs)}`);
      return new CoolifyError('coolify_validation', `Coolify rejected the request to ${what}: ${fields.length ? fields.join('; ') : message || 'validation failed'}. This Coolify may be a version Hangar does not support (Hangar follows Coolify 4.3).`, status, { errors });
    }
    default:
      if (status >= 500) return new CoolifyError('coolify_error', `Coolify failed to ${what} (${status}${said}). Check Coolify's own logs, then retry.`, status);
      return new CoolifyError('coolify_error', `Coolify answered ${status} when asked to ${what}${said}.`, status);
  }
}

function hintFor404(message: string): string {
  if (/server/i.test(message)) return '— check HANGAR_COOLIFY_SERVER_UUID.';
  if (/project/i.test(message)) return '— check HANGAR_COOLIFY_PROJECT_UUID.';
  if (/environment/i.test(message)) return '— check HANGAR_COOLIFY_ENVIRONMENT.';
  return '— it may have been deleted in Coolify; deploy the project again to recreate it.';
}
