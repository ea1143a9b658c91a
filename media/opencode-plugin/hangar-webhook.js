// Hangar's opencode plugin: forwards session lifecycle events to the Hangar API's webhook
// (POST $HANGAR_WEBHOOK_URL), signed with HMAC-SHA256 under $HANGAR_WEBHOOK_SECRET.
// It runs inside the agent, so it must never block or throw: the hook only enqueues; one
// background loop sends, with a bounded queue (oldest dropped, with a log line), a few retries
// with backoff, and every error caught. Plain ESM, no dependencies.
//
// opencode calls every exported function of a plugin module as a plugin: export nothing else.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FORWARDED = new Set([
  'session.created', 'session.updated', 'session.status', 'session.idle', 'session.error',
  'permission.asked', 'permission.replied',
]);
/** `git push`, `git -C dir push`, `git -c k=v push`, anywhere in a shell command line. */
const GIT_PUSH = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+push\b/;
const MAX_QUEUE = 200;
const RETRY_DELAYS_MS = [250, 1000, 4000];
const REQUEST_TIMEOUT_MS = 5000;
const EXCERPT_CHARS = 280;

/**
 * @param {{directory?: string}} _input what opencode passes (client, project, directory, ...)
 * @param {{env?: Record<string, string|undefined>, fetch?: typeof fetch, readFile?: (file: string) => string, log?: (m: string) => void, now?: () => number, retryDelaysMs?: number[], maxQueue?: number}} [deps] for tests only
 */
export const HangarWebhook = async (_input, deps = {}) => {
  const env = deps.env ?? process.env;
  const log = deps.log ?? ((m) => console.error(`[hangar-webhook] ${m}`));
  const readFile = deps.readFile ?? ((file) => readFileSync(file, 'utf8'));
  // A warm-pool agent starts before it belongs to a project: Hangar writes the webhook target to
  // $HANGAR_BINDING_FILE when a deploy claims it, so the target is read when the first event is sent.
  const bindingFile = env.HANGAR_BINDING_FILE;
  if (!bindingFile && (!env.HANGAR_WEBHOOK_URL || !env.HANGAR_WEBHOOK_SECRET)) {
    log('HANGAR_WEBHOOK_URL or HANGAR_WEBHOOK_SECRET is not set: not forwarding events');
    return {};
  }
  let bound = bindingFile ? undefined : { url: env.HANGAR_WEBHOOK_URL, secret: env.HANGAR_WEBHOOK_SECRET, projectId: env.HANGAR_PROJECT_ID ?? '' };
  function target() {
    if (bound) return bound;
    try {
      const b = JSON.parse(readFile(bindingFile));
      if (typeof b.url === 'string' && typeof b.secret === 'string' && typeof b.projectId === 'string') bound = b;
    } catch {
      // not claimed yet: events before the claim have no project to go to
    }
    return bound;
  }
  const doFetch = deps.fetch ?? globalThis.fetch;
  const now = deps.now ?? Date.now;
  const delays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
  const maxQueue = deps.maxQueue ?? MAX_QUEUE;
  /** sessionID -> parentID (null for a top-level session), learnt from session.created/updated. */
  const parents = new Map();
  /** sessionID -> the latest assistant text, sent as the excerpt with status changes. */
  const excerpts = new Map();
  /** messageID -> role, so user text is not taken for the agent's answer. */
  const roles = new Map();
  /** callIDs of the agent's own `git push` runs already reported (a part is updated more than once). */
  const pushes = new Set();
  const queue = [];
  let draining = false;
  let dropped = 0;

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref?.());

  async function sendOnce(body) {
    const { url, secret } = bound;
    const timestamp = String(Math.floor(now() / 1000));
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hangar-Timestamp': timestamp, 'X-Hangar-Signature': `sha256=${signature}` },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // A 4xx will not get better by retrying (bad secret, unknown project): give up on it.
    if (res.status >= 400 && res.status < 500) return `rejected with ${res.status}`;
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return undefined;
  }

  async function drain() {
    if (draining) return;
    draining = true;
    try {
      while (queue.length) {
        const body = queue.shift();
        for (let attempt = 0; ; attempt++) {
          try {
            const rejected = await sendOnce(body);
            if (rejected) log(`webhook ${rejected}; event dropped`);
            break;
          } catch (err) {
            if (attempt >= delays.length) {
              log(`webhook unreachable after ${attempt + 1} attempts (${err?.message ?? err}); event dropped`);
              break;
            }
            await sleep(delays[attempt]);
          }
        }
      }
    } catch (err) {
      log(`webhook sender failed: ${err?.message ?? err}`);
    } finally {
      draining = false;
    }
  }

  function enqueue(event) {
    const to = target();
    if (!to) return;
    const sessionID = sessionOf(event);
    const meta = {};
    if (sessionID) {
      const parentID = parents.get(sessionID);
      if (parentID) meta.parentID = parentID;
      const excerpt = excerpts.get(sessionID);
      if (excerpt) meta.excerpt = excerpt;
    }
    const body = JSON.stringify({ projectId: to.projectId, event: { type: event.type, properties: event.properties ?? {} }, meta, sentAt: new Date(now()).toISOString() });
    queue.push(body);
    if (queue.length > maxQueue) {
      queue.shift();
      dropped++;
      log(`queue full (${maxQueue}): dropped the oldest event (${dropped} dropped so far)`);
    }
    void drain();
  }

  /** The agent ran `git push` with its bash tool: reported once, when the call has ended (Hangar's timeline). */
  function observePush(part) {
    const state = part.state ?? {};
    if (state.status !== 'completed' && state.status !== 'error') return;
    const command = String(state.input?.command ?? '');
    if (!GIT_PUSH.test(command) || !part.callID || pushes.has(part.callID)) return;
    pushes.add(part.callID);
    if (pushes.size > 1000) pushes.delete(pushes.values().next().value);
    const exit = Number.isInteger(state.metadata?.exit) ? state.metadata.exit : null;
    enqueue({ type: 'hangar.git.push', properties: {
      sessionID: part.sessionID, command: command.slice(0, 500), exit, ok: state.status === 'completed' && exit === 0,
    } });
  }

  function observe(event) {
    const p = event.properties ?? {};
    if (event.type === 'message.part.updated' && p.part?.type === 'tool' && p.part.tool === 'bash') observePush(p.part);
    if ((event.type === 'session.created' || event.type === 'session.updated') && p.info?.id) {
      parents.set(p.info.id, p.info.parentID ?? null);
    } else if (event.type === 'message.updated' && p.info?.id) {
      roles.set(p.info.id, p.info.role);
      if (roles.size > 1000) roles.delete(roles.keys().next().value);
    } else if (event.type === 'message.part.updated' && p.part?.type === 'text' && p.part.sessionID) {
      if (roles.get(p.part.messageID) === 'user' || p.part.synthetic) return;
      const text = String(p.part.text ?? '').trim();
      if (text) excerpts.set(p.part.sessionID, text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text);
    } else if (event.type === 'session.deleted' && p.info?.id) {
      parents.delete(p.info.id);
      excerpts.delete(p.info.id);
    }
  }

  return {
    event: async ({ event }) => {
      try {
        if (!event || typeof event.type !== 'string') return;
        observe(event);
        if (FORWARDED.has(event.type)) enqueue(event);
      } catch (err) {
        log(`event hook failed: ${err?.message ?? err}`);
      }
    },
  };
};

function sessionOf(event) {
  const p = event.properties ?? {};
  return p.sessionID ?? p.info?.id ?? undefined;
}
