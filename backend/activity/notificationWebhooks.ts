import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import type { SecretBox } from '../runtime/secretBox';
import {
  NotificationKind, type ActivityNotification, type NotificationDelivery, type NotificationWebhook, type NotificationWebhookPayload,
  type NotificationWebhookPut,
} from '../contract';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';
import { z } from 'zod';

/** The extension's URI handler (publisher.name from package.json) and its session path. */
export const SESSION_LINK_BASE = 'vscode://hangar-dev.hangar/session';
export const sessionLink = (projectId: string, sessionId: string): string =>
  `${SESSION_LINK_BASE}?${new URLSearchParams({ project: projectId, session: sessionId }).toString()}`;

export interface NotifierOptions {
  /** First retry delay; each next one is 4× longer, capped at MAX_DELAY_MS (HANGAR_NOTIFY_RETRY_MS). */
  retryBaseMs: number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

const MAX_DELAY_MS = 60 * 60_000;
/** Finished deliveries kept per user for the log; pending ones beyond MAX_PENDING are given up (oldest first). */
const KEEP_PER_USER = 200;
const MAX_PENDING = 100;
const BATCH = 10;
const Kinds = z.array(NotificationKind);
const secretContext = (userId: string) => `user:${userId}:notify_webhook_secret`;

/**
 * Outgoing notification webhooks: each user may name one URL that receives their notifications
 * (done, failed, needs-approval, as chosen). Every notification becomes a row in
 * notification_deliveries; a pump sends the due ones, retries failures with exponential backoff
 * and records the outcome. The queue is the table, so an API restart resumes pending deliveries.
 */
export class NotificationWebhooks {
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof globalThis.fetch;
  private readonly now: () => number;

  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly log: Logger, private readonly opts: NotifierOptions) {
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.doFetch = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.now = opts.now ?? Date.now;
  }

  /** Starts sending (pending rows from before a restart first). */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pumping;
  }

  async get(userId: string): Promise<NotificationWebhook | null> {
    const row = await this.db.selectFrom('notification_webhooks').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row ? { url: row.url, kinds: Kinds.parse(JSON.parse(row.kinds)), hasSecret: row.secret_enc !== null, updatedAt: row.updated_at } : null;
  }

  /** The signing key in clear, for a settings export the user asked to carry secrets (backend/settings). */
  async secret(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('notification_webhooks').select('secret_enc').where('user_id', '=', userId).executeTakeFirst();
    return row?.secret_enc ? this.box.open(row.secret_enc, secretContext(userId)) : null;
  }

  async put(userId: string, body: NotificationWebhookPut): Promise<NotificationWebhook> {
    const now = new Date(this.now()).toISOString();
    const existing = await this.db.selectFrom('notification_webhooks').select('secret_enc').where('user_id', '=', userId).executeTakeFirst();
    const secretEnc = body.secret === undefined ? existing?.secret_enc ?? null : body.secret === null ? null : this.box.seal(body.secret, secretContext(userId));
    const kinds = JSON.stringify([...new Set(body.kinds)]);
    await this.db.insertInto('notification_webhooks')
      .values({ user_id: userId, url: body.url, secret_enc: secretEnc, kinds, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ url: body.url, secret_enc: secretEnc, kinds, updated_at: now }))
      .execute();
    return (await this.get(userId))!;
  }

  /** Removes the webhook; its pending deliveries are given up. */
  async remove(userId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('notification_webhooks').where('user_id', '=', userId).executeTakeFirst();
    await this.db.updateTable('notification_deliveries').set({ status: 'failed', error: 'the webhook was removed', next_attempt_at: null, updated_at: new Date(this.now()).toISOString() })
      .where('user_id', '=', userId).where('status', '=', 'pending').execute();
    return Number(res.numDeletedRows) > 0;
  }

  async deliveries(userId: string, limit = 50): Promise<NotificationDelivery[]> {
    const rows = await this.db.selectFrom('notification_deliveries').selectAll().where('user_id', '=', userId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id, createdAt: r.created_at, kind: r.kind, projectId: r.project_id, projectName: r.project_name, sessionId: r.session_id,
      status: r.status, statusCode: r.status_code, attempts: r.attempts, error: r.error,
      nextRetryAt: r.status === 'pending' && r.next_attempt_at !== null ? new Date(r.next_attempt_at).toISOString() : null,
    }));
  }

  /** Queues a notification for the user's webhook when they have one that wants this kind. */
  async enqueue(userId: string, note: ActivityNotification, projectName: string): Promise<string | undefined> {
    const hook = await this.get(userId);
    if (!hook || !hook.kinds.includes(note.kind)) return undefined;
    const id = randomUUID();
    const nowMs = this.now();
    const createdAt = new Date(nowMs).toISOString();
    const payload: NotificationWebhookPayload = {
      id, kind: note.kind, projectId: note.projectId, projectName, sessionId: note.sessionId, text: note.text,
      link: sessionLink(note.projectId, note.sessionId), createdAt,
    };
    await this.db.insertInto('notification_deliveries').values({
      id, user_id: userId, kind: note.kind, project_id: note.projectId, project_name: projectName, session_id: note.sessionId,
      payload: JSON.stringify(payload), status: 'pending', status_code: null, attempts: 0, error: null, next_attempt_at: nowMs,
      created_at: createdAt, updated_at: createdAt,
    }).execute();
    await this.bound(userId);
    this.kick();
    return id;
  }

  /** Sends what is due now; runs again if something was queued meanwhile, then sleeps until the next due row. */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          const due = await this.db.selectFrom('notification_deliveries').selectAll()
            .where('status', '=', 'pending').where('next_attempt_at', '<=', this.now())
            .orderBy('next_attempt_at').limit(BATCH).execute();
          await Promise.all(due.map((d) => this.attempt(d)));
          if (due.length === BATCH) this.again = true;
        } while (this.again && !this.stopped);
        await this.schedule();
      } catch (err) {
        this.log.error('notification webhook pump failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        this.pumping = undefined;
      }
    })();
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await this.db.selectFrom('notification_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending').executeTakeFirst();
    const at = next?.at === null || next?.at === undefined ? undefined : Number(next.at);
    if (at === undefined) return;
    const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }

  private async attempt(d: { id: string; user_id: string; payload: string; attempts: number }): Promise<void> {
    const hook = await this.db.selectFrom('notification_webhooks').selectAll().where('user_id', '=', d.user_id).executeTakeFirst();
    const attempts = d.attempts + 1;
    const nowIso = () => new Date(this.now()).toISOString();
    if (!hook) {
      await this.finish(d.id, { status: 'failed', status_code: null, attempts: d.attempts, error: 'the webhook was removed', next_attempt_at: null, updated_at: nowIso() });
      return;
    }
    let statusCode: number | null = null;
    let error: string;
    let retry: boolean;
    try {
      const ts = String(Math.floor(this.now() / 1000));
      const headers: Record<string, string> = {
        'Content-Type': 'application/json', 'User-Agent': 'Hangar-Notifications/1', 'X-Hangar-Event': 'notification', 'X-Hangar-Delivery': d.id,
        [TIMESTAMP_HEADER]: ts,
      };
      if (hook.secret_enc) headers[SIGNATURE_HEADER] = signWebhook(this.box.open(hook.secret_enc, secretContext(d.user_id)), ts, d.payload);
      const res = await this.doFetch(hook.url, { method: 'POST', headers, body: d.payload, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      statusCode = res.status;
      if (res.status >= 200 && res.status < 300) {
        await this.finish(d.id, { status: 'delivered', status_code: statusCode, attempts, error: null, next_attempt_at: null, updated_at: nowIso() });
        return;
      }
      error = `the receiver answered HTTP ${res.status}`;
      // 408, 429 and 5xx may pass later; another 4xx (or a redirect, not followed) will not.
      retry = res.status === 408 || res.status === 429 || res.status >= 500;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      error = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `cannot reach the receiver (${e.cause?.code ?? e.cause?.message ?? e.message})`;
      retry = true;
    }
    if (retry && attempts < this.maxAttempts) {
      const delay = Math.min(MAX_DELAY_MS, this.opts.retryBaseMs * 4 ** (attempts - 1));
      await this.finish(d.id, { status: 'pending', status_code: statusCode, attempts, error, next_attempt_at: this.now() + delay, updated_at: nowIso() });
    } else {
      this.log.warn('notification webhook delivery failed', { deliveryId: d.id, attempts, error });
      await this.finish(d.id, { status: 'failed', status_code: statusCode, attempts, error, next_attempt_at: null, updated_at: nowIso() });
    }
  }

  private async finish(id: string, set: { status: 'pending' | 'delivered' | 'failed'; status_code: number | null; attempts: number; error: string | null; next_attempt_at: number | null; updated_at: string }): Promise<void> {
    await this.db.updateTable('notification_deliveries').set(set).where('id', '=', id).execute();
  }

  /** Keeps the log and the queue bounded per user. */
  private async bound(userId: string): Promise<void> {
    const pending = await this.db.selectFrom('notification_deliveries').select('id').where('user_id', '=', userId).where('status', '=', 'pending')
      .orderBy('created_at', 'desc').offset(MAX_PENDING).limit(1000).execute();
    if (pending.length) {
      await this.db.updateTable('notification_deliveries').set({ status: 'failed', error: `more than ${MAX_PENDING} deliveries waiting: given up`, next_attempt_at: null })
        .where('id', 'in', pending.map((p) => p.id)).execute();
    }
    const old = await this.db.selectFrom('notification_deliveries').select('id').where('user_id', '=', userId).where('status', '!=', 'pending')
      .orderBy('created_at', 'desc').offset(KEEP_PER_USER).limit(1000).execute();
    if (old.length) await this.db.deleteFrom('notification_deliveries').where('id', 'in', old.map((p) => p.id)).execute();
  }
}

