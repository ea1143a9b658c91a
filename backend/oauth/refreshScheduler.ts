import type { RedirectProviderConfig } from '../config';
import type { Logger } from '../logger';
import type { CredentialService } from '../providers/credentials';
import { postTokenGrant } from './tokenEndpoint';

export interface RefreshOptions {
  /** Refresh this long before a credential expires. */
  leadMs: number;
  /** How often to look for expiring credentials. */
  pollMs: number;
  now?: () => number;
  /** Also run on every pass: drops finished sign-in flows after a day (see compositionRoot.ts). */
  housekeeping?: () => Promise<unknown>;
}

export interface RefreshReport { refreshed: string[]; failed: string[] }

/**
 * Refreshes expiring OAuth credentials with their refresh token (RFC 6749 §6) before they expire.
 * A refresh that fails (revoked, expired refresh token, unknown provider) flags the credential
 * needs_sign_in and emits provider.changed; the extension then asks the user to sign in again.
 * A refreshed token reaches running agents through the `credential.changed` domain event (liveUpdate.ts).
 */
export class OAuthRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RefreshReport> | undefined;
  private readonly now: () => number;
  constructor(
    private readonly creds: CredentialService,
    private readonly providers: Readonly<Record<string, RedirectProviderConfig>>,
    private readonly log: Logger,
    private readonly opts: RefreshOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.opts.pollMs);
    this.timer.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; a pass already running is joined, not doubled. */
  runOnce(): Promise<RefreshReport> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<RefreshReport> {
    const report: RefreshReport = { refreshed: [], failed: [] };
    await this.opts.housekeeping?.().catch((err: unknown) => this.log.warn('oauth: could not prune old sign-in flows', { error: err instanceof Error ? err.message : String(err) }));
    let due: Awaited<ReturnType<CredentialService['expiringOAuth']>>;
    try {
      due = await this.creds.expiringOAuth(new Date(this.now() + this.opts.leadMs));
    } catch (err) {
      this.log.warn('oauth refresh: could not list expiring credentials', { error: err instanceof Error ? err.message : String(err) });
      return report;
    }
    for (const c of due) {
      const key = `${c.userId}/${c.providerId}`;
      try {
        await this.refresh(c.userId, c.providerId);
        report.refreshed.push(key);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        report.failed.push(key);
        this.log.warn('oauth refresh failed; the credential needs a new sign-in', { providerId: c.providerId, error: reason });
        await this.creds.markNeedsSignIn(c.userId, c.providerId, `Refreshing the sign-in failed (${reason}). Sign in again.`).catch(() => {});
      }
    }
    return report;
  }

  private async refresh(userId: string, providerId: string): Promise<void> {
    const cfg = Object.hasOwn(this.providers, providerId) ? this.providers[providerId] : undefined;
    if (!cfg) throw new Error(`Hangar has no token endpoint for ${providerId}`);
    const auth = await this.creds.peek(userId, providerId);
    if (auth?.type !== 'oauth' || !auth.refresh) throw new Error('no refresh token was issued');
    const token = await postTokenGrant(cfg.tokenUrl, { grant_type: 'refresh_token', refresh_token: auth.refresh, client_id: cfg.clientId });
    await this.creds.setOAuth(userId, providerId, {
      type: 'oauth', access: token.access_token, refresh: token.refresh_token ?? auth.refresh,
      expires: token.expires_in ? this.now() + token.expires_in * 1000 : 0,
    });
    this.log.info('oauth credential refreshed', { providerId });
  }
}
