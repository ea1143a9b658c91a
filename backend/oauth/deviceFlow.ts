import { randomUUID } from 'node:crypto';
import { createOAuthDeviceAuth } from '@octokit/auth-oauth-device';
import { request as octokitRequest } from '@octokit/request';
import type { Selectable } from 'kysely';
import type { DeviceFlowStart, DeviceFlowStatus } from '../contract';
import type { Db } from '../db/database';
import type { OAuthFlowsTable } from '../db/schema';
import { conflict, notFound } from '../errors';
import { PerUserSlots } from '../security/perUserSlots';
import type { Logger } from '../logger';
import type { CredentialService } from '../providers/credentials';
import type { SecretBox } from '../runtime/secretBox';

/** Concurrent pending device sign-ins one user may have. */
export const MAX_DEVICE_FLOWS_PER_USER = 5;

export interface DeviceFlowOptions {
  /** Where /login/device/code and /login/oauth/access_token live: https://github.com, a GHE host, or a test server. */
  oauthBaseUrl: string;
  clientId: string;
  /** Set for GitHub Enterprise: opencode's credential then carries `enterpriseUrl`. */
  enterpriseHost: string | undefined;
  now?: () => number;
}

export const flowContext = (flowId: string) => `oauth_flow:${flowId}`;

/** How a poll loop ended, from the error octokit rethrows (GitHub's 200 `{error}` bodies become RequestErrors). */
export function outcome(err: unknown): { status: 'expired' | 'denied' | 'error'; message: string } {
  // Our own Expired travels wrapped: @octokit/request turns a failed fetch into a RequestError with it as `cause`.
  const e = err as { response?: { data?: { error?: string } }; code?: string; cause?: { code?: string } };
  const code = e.response?.data?.error ?? e.code ?? e.cause?.code;
  if (code === 'expired_token') return { status: 'expired', message: 'The code expired before it was entered on GitHub. Start the sign-in again.' };
  if (code === 'access_denied') return { status: 'denied', message: 'The sign-in was declined on GitHub. Start it again and choose Authorize.' };
  const detail = err instanceof Error ? err.message.replace(/\s*\(undefined.*\)$/, '') : String(err);
  if (code === 'cancelled') return { status: 'error', message: 'The sign-in was cancelled.' };
  return { status: 'error', message: `GitHub's sign-in failed: ${detail.slice(0, 300)}. Start the sign-in again.` };
}

/** Resolves after ms, or at once when the flow is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class Expired extends Error { code = 'expired_token'; }
class Cancelled extends Error { code = 'cancelled'; }

/**
 * GitHub's device flow for GitHub Copilot, run in the API with @octokit/auth-oauth-device. The
 * flow is a database row, so a client that reconnects (or another window) reads the same flow by
 * id; the poll loop lives in this process: after an API restart a pending flow reports an error
 * and the user starts again. The device code is sealed at rest and never leaves the API.
 */
export class DeviceFlowService {
  private readonly running = new Map<string, AbortController>();
  private readonly now: () => number;
  /** Settles when a flow's poll loop ends (tests and shutdown wait on it). */
  readonly finished = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly creds: CredentialService,
    private readonly log: Logger,
    private readonly opts: DeviceFlowOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Pending sign-ins per user: each polls GitHub until it ends, so there are few at once. */
  private readonly slots = new PerUserSlots(MAX_DEVICE_FLOWS_PER_USER, 'device sign-ins', 'Finish or cancel one (POST …/cancel), or wait for it to expire.');

  async start(userId: string, providerId: string): Promise<DeviceFlowStart> {
    const release = this.slots.acquire(userId);
    try {
      return await this.begin(userId, providerId, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  private async begin(userId: string, providerId: string, release: () => void): Promise<DeviceFlowStart> {
    const flowId = randomUUID();
    const abort = new AbortController();
    let expiresAtMs = Number.POSITIVE_INFINITY;
    let intervalMs = 0;
    let nextPollAt = 0;
    // Every call octokit makes goes through here: cancel and expiry stop the loop at its next poll,
    // GitHub's slow_down answers are recorded so clients see the longer interval, and the interval
    // GitHub asked for is kept from then on (octokit waits interval + 7 s once after a slow_down,
    // then goes back to the original interval, which GitHub would answer with slow_down again).
    const fetchHook = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const isPoll = String(url).endsWith('/login/oauth/access_token');
      if (isPoll && nextPollAt > Date.now()) await sleep(nextPollAt - Date.now(), abort.signal);
      if (abort.signal.aborted) throw new Cancelled('cancelled');
      if (this.now() >= expiresAtMs) throw new Expired('the device code expired');
      const res = await fetch(url, { ...init, signal: AbortSignal.any([abort.signal, AbortSignal.timeout(15_000)]) });
      if (isPoll && res.ok) {
        const body = await res.clone().json().catch(() => undefined) as { error?: string; interval?: number } | undefined;
        if (body?.error === 'slow_down') {
          intervalMs = (body.interval ?? intervalMs / 1000 + 5) * 1000;
          await this.noteSlowDown(flowId, intervalMs / 1000);
        }
        nextPollAt = Date.now() + intervalMs;
      }
      return res;
    };
    const request = octokitRequest.defaults({
      baseUrl: this.opts.oauthBaseUrl,
      headers: { 'user-agent': 'hangar' },
      request: { fetch: fetchHook },
    });
    let verified!: (v: DeviceFlowStart) => void;
    const ready = new Promise<DeviceFlowStart>((resolve) => { verified = resolve; });
    const auth = createOAuthDeviceAuth({
      clientType: 'oauth-app',
      clientId: this.opts.clientId,
      scopes: ['read:user'],
      request,
      onVerification: async (v) => {
        const now = this.now();
        expiresAtMs = now + v.expires_in * 1000;
        intervalMs = v.interval * 1000;
        const iso = new Date(now).toISOString();
        await this.db.insertInto('oauth_flows').values({
          id: flowId, user_id: userId, provider_id: providerId, kind: 'device', status: 'pending',
          user_code: v.user_code, verification_uri: v.verification_uri, interval_s: v.interval, slow_downs: 0,
          state_hash: null, redirect_uri: null, secret_enc: this.box.seal(v.device_code, flowContext(flowId)), error: null,
          expires_at: new Date(expiresAtMs).toISOString(), created_at: iso, updated_at: iso,
        }).execute();
        this.running.set(flowId, abort);
        verified({ flowId, userCode: v.user_code, verificationUri: v.verification_uri, expiresAt: new Date(expiresAtMs).toISOString(), interval: v.interval });
      },
    });
    const polling = auth({ type: 'oauth' });
    // Either GitHub answered the device-code request (ready), or it failed before that (polling rejects first).
    const first = await Promise.race([ready.then((v) => ({ v })), polling.then(() => ({ v: undefined }), (err: unknown) => ({ err }))]);
    if (!('v' in first) || !first.v) {
      const err = 'err' in first ? first.err : undefined;
      this.log.warn('GitHub device flow: could not get a device code', { providerId, error: err instanceof Error ? err.message : String(err) });
      throw conflict('device_flow_unavailable', `GitHub did not start the sign-in (${err instanceof Error ? err.message.slice(0, 200) : 'no answer'}). Check that ${this.opts.oauthBaseUrl} is reachable and try again.`);
    }
    this.finished.set(flowId, polling.then(
      async (authentication) => {
        const token = (authentication as { token: string }).token;
        await this.creds.setOAuth(userId, providerId, {
          type: 'oauth', refresh: token, access: token, expires: 0,
          ...(this.opts.enterpriseHost ? { enterpriseUrl: this.opts.enterpriseHost } : {}),
        });
        await this.finish(flowId, 'complete', null);
        this.log.info('GitHub device flow complete; credential stored', { providerId, flowId });
      },
      async (err: unknown) => {
        if (abort.signal.aborted) return; // cancel() or an expiry seen by status() already recorded it
        const o = outcome(err);
        await this.finish(flowId, o.status, o.message);
        this.log.info('GitHub device flow ended', { providerId, flowId, status: o.status });
      },
    ).catch((err: unknown) => {
      this.log.error('GitHub device flow: could not record the result', { flowId, error: err instanceof Error ? err.message : String(err) });
    }).finally(() => {
      this.running.delete(flowId);
      release();
    }));
    return first.v;
  }

  async status(userId: string, providerId: string, flowId: string): Promise<DeviceFlowStatus> {
    let row = await this.row(userId, providerId, flowId);
    if (row.status === 'pending' && this.now() >= Date.parse(row.expires_at)) {
      this.running.get(flowId)?.abort();
      await this.finish(flowId, 'expired', 'The code expired before it was entered on GitHub. Start the sign-in again.');
      row = await this.row(userId, providerId, flowId);
    } else if (row.status === 'pending' && !this.running.has(flowId)) {
      await this.finish(flowId, 'error', 'The Hangar server restarted during this sign-in. Start the sign-in again.');
      row = await this.row(userId, providerId, flowId);
    }
    const credential = row.status === 'complete' ? await this.creds.meta(userId, providerId).catch(() => null) : null;
    return {
      flowId: row.id, providerId: row.provider_id,
      status: row.status === 'pending' && row.slow_downs > 0 ? 'slow_down' : row.status,
      userCode: row.user_code ?? '', verificationUri: row.verification_uri ?? '', expiresAt: row.expires_at, interval: row.interval_s,
      message: row.error, credential,
    };
  }

  async cancel(userId: string, providerId: string, flowId: string): Promise<DeviceFlowStatus> {
    const row = await this.row(userId, providerId, flowId);
    if (row.status === 'pending') {
      this.running.get(flowId)?.abort();
      await this.finish(flowId, 'cancelled', 'The sign-in was cancelled.');
    }
    return this.status(userId, providerId, flowId);
  }

  /** Stops every poll loop (server shutdown). */
  async shutdown(): Promise<void> {
    for (const a of this.running.values()) a.abort();
    await Promise.allSettled([...this.finished.values()]);
  }

  private async row(userId: string, providerId: string, flowId: string): Promise<Selectable<OAuthFlowsTable>> {
    const row = await this.db.selectFrom('oauth_flows').selectAll()
      .where('id', '=', flowId).where('user_id', '=', userId).where('provider_id', '=', providerId).where('kind', '=', 'device').executeTakeFirst();
    if (!row) throw notFound(`Sign-in flow ${flowId}`);
    return row;
  }

  /** Only a pending flow changes: a late poll result never overwrites a cancel or an expiry. */
  private async finish(flowId: string, status: Exclude<OAuthFlowsTable['status'], 'pending'>, error: string | null): Promise<void> {
    await this.db.updateTable('oauth_flows').set({ status, error, secret_enc: null, updated_at: new Date(this.now()).toISOString() })
      .where('id', '=', flowId).where('status', '=', 'pending').execute();
  }

  /** GitHub's slow_down carries the new interval (the old one + 5 s). */
  private async noteSlowDown(flowId: string, interval: number): Promise<void> {
    const row = await this.db.selectFrom('oauth_flows').select(['slow_downs']).where('id', '=', flowId).executeTakeFirst();
    if (!row) return;
    await this.db.updateTable('oauth_flows')
      .set({ slow_downs: row.slow_downs + 1, interval_s: Math.ceil(interval), updated_at: new Date(this.now()).toISOString() })
      .where('id', '=', flowId).execute();
  }
}
