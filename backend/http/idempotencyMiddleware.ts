import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Context, Middleware } from 'koa';
import { IDEMPOTENCY_HEADER, IDEMPOTENT_REPLAY_HEADER, IdempotencyKey } from '../contract';
import { HttpError } from '../errors';
import type { IdempotencyStore } from '../idempotency/idempotencyStore';
import type { Logger } from '../logger';
import type { AuthUser } from '../services/users';

/** The POSTs a client may replay after a lost answer (the extension's outbox does). */
const REPLAYABLE: readonly RegExp[] = [
  /^\/api\/projects\/[^/]+\/opencode\/session\/[^/]+\/prompt_async$/,
  /^\/api\/projects\/[^/]+\/(deploy|start|restart|stop)$/,
  /^\/api\/projects\/[^/]+\/sync\/(fetch|push|pull)$/,
];
/** An answer larger than this is passed on but not kept (these routes answer a few hundred bytes). */
const MAX_STORED_BODY = 256 * 1024;

export const isReplayable = (method: string, path: string) => method === 'POST' && REPLAYABLE.some((r) => r.test(path));

/**
 * Honours `Idempotency-Key` on the replayable POSTs: the first request with a key runs and its
 * successful answer is stored; a repeat from the same user within 24 h gets that answer back without
 * running again. A repeat that arrives while the first is still running waits for it in this process,
 * or is told 409 `idempotency_key_in_use` when another process runs it. A failed request (an error,
 * any non-2xx) releases the key: nothing happened, so the next attempt runs.
 */
export function idempotencyMiddleware(store: IdempotencyStore, log: Logger): Middleware {
  const running = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const raw = ctx.get(IDEMPOTENCY_HEADER);
    const user = ctx.state.user as AuthUser | undefined;
    if (!raw || !user || !isReplayable(ctx.method, ctx.path)) return next();
    const parsed = IdempotencyKey.safeParse(raw);
    if (!parsed.success) {
      throw new HttpError(400, 'invalid_idempotency_key', `Invalid ${IDEMPOTENCY_HEADER} header: ${parsed.error.issues[0]?.message ?? 'bad value'}.`);
    }
    const key = parsed.data;
    const fingerprint = fingerprintOf(ctx);
    const local = `${user.id}\n${key}`;
    for (let waited = 0; ; waited++) {
      const claim = await store.claim(user.id, key, fingerprint);
      if (claim.kind === 'mismatch') {
        throw new HttpError(422, 'idempotency_key_reused',
          `This ${IDEMPOTENCY_HEADER} was already used for a different request; send a new key for a new request.`);
      }
      if (claim.kind === 'done') {
        ctx.set(IDEMPOTENT_REPLAY_HEADER, 'true');
        if (claim.answer.contentType) ctx.type = claim.answer.contentType;
        ctx.body = claim.answer.body ?? null;
        ctx.status = claim.answer.status;
        return;
      }
      if (claim.kind === 'busy') {
        const first = running.get(local);
        if (first && waited < 5) {
          await first.catch(() => undefined);
          continue;
        }
        ctx.set('Retry-After', '1');
        throw new HttpError(409, 'idempotency_key_in_use',
          `A request with this ${IDEMPOTENCY_HEADER} is still running; retry in a moment to get its answer.`);
      }
      const done = run(ctx, next, store, user.id, key, log);
      running.set(local, done);
      try {
        return await done;
      } finally {
        if (running.get(local) === done) running.delete(local);
      }
    }
  };
}

async function run(ctx: Context, next: () => Promise<unknown>, store: IdempotencyStore, userId: string, key: string, log: Logger) {
  try {
    await next();
  } catch (err) {
    await store.release(userId, key).catch((e: unknown) => log.warn('idempotency release failed', { error: String(e) }));
    throw err;
  }
  if (ctx.status < 200 || ctx.status >= 300) {
    await store.release(userId, key);
    return;
  }
  const status = ctx.status;
  const body = await bodyText(ctx);
  if (body !== undefined && Buffer.byteLength(body) > MAX_STORED_BODY) {
    await store.release(userId, key);
    return;
  }
  await store.complete(userId, key, { status, contentType: body === undefined ? null : ctx.response.get('Content-Type') || null, body: body ?? null });
}

/** The answer as text, read once; a streamed body is buffered and put back so the client still gets it. */
async function bodyText(ctx: Context): Promise<string | undefined> {
  const b: unknown = ctx.body;
  if (b === undefined || b === null || ctx.status === 204) return undefined;
  if (typeof b === 'string') return b;
  if (Buffer.isBuffer(b)) return b.toString('utf8');
  if (b instanceof Readable) {
    const status = ctx.status;
    const type = ctx.response.get('Content-Type');
    const chunks: Buffer[] = [];
    for await (const c of b) chunks.push(Buffer.from(c as Uint8Array));
    const buf = Buffer.concat(chunks);
    ctx.body = buf;
    if (type) ctx.type = type;
    ctx.status = status;
    return buf.toString('utf8');
  }
  return JSON.stringify(b);
}

function fingerprintOf(ctx: Context): string {
  const body = (ctx.request as { body?: unknown }).body;
  return crypto.createHash('sha256').update(`${ctx.method} ${ctx.path}\n${JSON.stringify(body ?? null)}`).digest('hex');
}
