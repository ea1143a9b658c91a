/**
 * Every `error.code` the API answers with, in `{"error":{"code","message","details"?}}` (ErrorBody).
 * The API's HttpError takes only these (backend/errors.ts), so a new code is added here first;
 * the extension's ApiError.code is one of these or one of its own client-side codes. The wire
 * schema keeps `code` a string: a newer server's unknown code must not make a client reject the body.
 */
/** What Coolify refused or failed (a 502 for the API's clients: the fault is upstream). */
export const COOLIFY_ERROR_CODES = [
  'coolify_api_disabled', 'coolify_forbidden', 'coolify_bad_token', 'coolify_validation', 'coolify_not_found',
  'coolify_domain_conflict', 'coolify_rate_limited', 'coolify_deployment_failed', 'coolify_not_ready',
  'coolify_unreachable', 'coolify_bad_answer', 'coolify_exec_unsupported', 'coolify_config', 'coolify_error',
  // No registered Coolify server has room for the tier (backend/runtime/coolify/placement.ts).
  'coolify_no_capacity',
] as const;

export const API_ERROR_CODES = [
  // Requests (backend/http): validation, body, method, encoding, size.
  'validation_failed', 'invalid_body', 'body_too_deep', 'payload_too_large', 'unsupported_media_type',
  'unsupported_content_encoding', 'method_not_allowed', 'method_not_implemented', 'upgrade_required',
  // Who is asking, and what exists for them.
  'unauthorized', 'forbidden', 'not_found', 'too_many_concurrent', 'usage',
  // Idempotency keys (backend/http/idempotencyMiddleware.ts).
  'invalid_idempotency_key', 'idempotency_key_reused', 'idempotency_key_in_use',
  // The server itself.
  'internal', 'insufficient_storage',
  // Users, tiers, projects, operations, runtimes.
  'invalid_username', 'user_exists', 'unknown_tier', 'tier_exists', 'tier_in_use', 'tier_is_default', 'tier_retired',
  'confirmation_required', 'operation_in_progress', 'operation_not_cancellable', 'runtime_failed',
  'runtime_unavailable', 'warm_pool_unsupported',
  'project_not_running',
  // Change Tier… and Move to Runtime… (backend/services/redeploy.ts).
  'nothing_to_change', 'move_unsupported',
  // The agent proxy (backend/opencode).
  'not_proxied', 'agent_unreachable', 'agent_timeout', 'agent_auth_failed', 'agent_rejected', 'agent_failed',
  'file_not_found', 'file_part_refused', 'workspace_missing',
  // Activity and webhooks.
  'invalid_webhook', 'invalid_cursor', 'too_large',
  // Providers and sign-in.
  'invalid_model', 'provider_exists', 'not_configured', 'test_unsupported', 'private_address', 'unresolvable_host',
  'device_flow_unavailable', 'invalid_state', 'state_expired', 'state_used', 'token_exchange_failed',
  // GitHub sync.
  'invalid_host', 'invalid_token', 'invalid_path', 'not_imported', 'sync_direction', 'sync_disabled',
  'sync_unavailable',
  'unsynced_changes', 'conflict_unreadable', 'not_conflicted',
  // Settings export and import (backend/settings).
  'invalid_settings_file', 'passphrase_required', 'wrong_passphrase', 'import_failed',
  // The docker runtime (backend/runtime/docker/dockerErrors.ts).
  'docker_unavailable', 'docker_image_missing', 'docker_error', 'not_deployed', 'not_running', 'bad_exec',
  'exec_timeout',
  // The coolify runtime (backend/runtime/coolify/errors.ts).
  ...COOLIFY_ERROR_CODES,
  // Workspace files (backend/workspaceFiles).
  'no_workspace', 'workspace_unreachable', 'workspace_failed', 'workspace_full', 'outside_workspace', 'bad_path',
  'file_exists', 'file_too_large', 'not_empty', 'is_a_directory', 'not_a_directory', 'not_a_file', 'symlink_refused',
  'permission_denied',
  // The desktop (VNC).
  'not_desktop_tier', 'desktop_failed', 'desktop_restarting', 'desktop_unavailable', 'not_a_websocket',
  'vnc_unreachable',
  'vnc_ticket_missing', 'vnc_ticket_invalid', 'vnc_ticket_expired', 'vnc_ticket_wrong_project', 'vnc_ticket_other_user',
] as const;

/** An error code of the API; `http_<status>` for an HTTP error that carries no code of its own. */
export type ErrorCode = (typeof API_ERROR_CODES)[number] | `http_${number}`;

/** ErrorBody as the API writes it: with a code it knows (errorMiddleware.ts, vnc/refusal.ts). */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const KNOWN: ReadonlySet<string> = new Set(API_ERROR_CODES);

export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code) || /^http_[0-9]{3}$/.test(code);
}
