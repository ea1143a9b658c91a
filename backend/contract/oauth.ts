import { z } from 'zod';
import { IsoTime } from './common';
import { CredentialMeta } from './providers';

/** A device-flow or redirect sign-in id (UUID). */
export const OAuthFlowId = z.string().uuid('a sign-in flow id');

/** POST /api/oauth/github-copilot/start: what the user must type, and where. */
export const DeviceFlowStart = z.object({
  flowId: OAuthFlowId,
  userCode: z.string(),
  verificationUri: z.string(),
  expiresAt: IsoTime,
  /** Seconds between polls, as GitHub asked. */
  interval: z.number().int().nonnegative(),
});
export type DeviceFlowStart = z.infer<typeof DeviceFlowStart>;

/**
 * pending: waiting for the user; slow_down: still pending, GitHub asked to poll less often (the
 * interval grew); complete: the credential is stored; expired / denied / cancelled / error: over.
 */
export const DeviceFlowState = z.enum(['pending', 'slow_down', 'complete', 'expired', 'denied', 'cancelled', 'error']);
export type DeviceFlowState = z.infer<typeof DeviceFlowState>;

export const DeviceFlowStatus = z.object({
  flowId: OAuthFlowId,
  providerId: z.string(),
  status: DeviceFlowState,
  userCode: z.string(),
  verificationUri: z.string(),
  expiresAt: IsoTime,
  interval: z.number().int().nonnegative(),
  /** What went wrong (expired, denied, error), with the next step; null while pending or complete. */
  message: z.string().nullable(),
  /** The stored credential's metadata once complete. */
  credential: CredentialMeta.nullable(),
});
export type DeviceFlowStatus = z.infer<typeof DeviceFlowStatus>;

/** POST /api/oauth/:provider/authorize: where the provider should send the browser back. */
export const RedirectAuthorizeBody = z.strictObject({
  redirectUri: z.string().trim().max(2000).refine((s) => {
    try { return /^[a-z][a-z0-9+.-]*:$/.test(new URL(s).protocol); } catch { return false; }
  }, 'an absolute URI, like vscode://hangar-dev.hangar/oauth/callback'),
});
export type RedirectAuthorizeBody = z.infer<typeof RedirectAuthorizeBody>;

export const RedirectAuthorize = z.object({
  authorizeUrl: z.string(),
  state: z.string(),
  expiresAt: IsoTime,
  /** False when the provider only redirects to its own page: the user pastes the code. */
  editorRedirect: z.boolean(),
});
export type RedirectAuthorize = z.infer<typeof RedirectAuthorize>;

/** POST /api/oauth/:provider/callback: the state and code the provider redirected with. */
export const RedirectCallbackBody = z.strictObject({
  state: z.string().trim().min(16).max(200),
  code: z.string().trim().min(1).max(4096).regex(/^\S+$/, 'an authorisation code has no spaces'),
});
export type RedirectCallbackBody = z.infer<typeof RedirectCallbackBody>;
