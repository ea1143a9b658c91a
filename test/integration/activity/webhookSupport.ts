import { signWebhook } from '../../../backend/activity/signature';

export interface HookEventInput {
  type: string;
  properties: Record<string, unknown>;
  meta?: { parentID?: string; excerpt?: string };
}

/** A webhook body as the plugin builds it. */
export function hookBody(projectId: string, e: HookEventInput): string {
  return JSON.stringify({ projectId, event: { type: e.type, properties: e.properties }, meta: e.meta ?? {}, sentAt: new Date().toISOString() });
}

/** Posts a body signed like the plugin does; `opts` bends the signature for rejection tests. */
export async function postHook(apiUrl: string, secret: string, body: string, opts: { timestamp?: number; signature?: string; unsigned?: boolean } = {}): Promise<{ status: number; body: unknown }> {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (!opts.unsigned) {
    headers['X-Hangar-Timestamp'] = ts;
    headers['X-Hangar-Signature'] = opts.signature ?? signWebhook(secret, ts, body);
  }
  const res = await fetch(`${apiUrl}/api/webhooks/opencode`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const ev = {
  created: (id: string, title = 'New session', parentID?: string): HookEventInput => ({
    type: 'session.created', properties: { info: { id, title, ...(parentID ? { parentID } : {}), time: { created: Date.now(), updated: Date.now() } } },
  }),
  updated: (id: string, title: string, files?: number): HookEventInput => ({
    type: 'session.updated', properties: { info: { id, title, time: { created: Date.now(), updated: Date.now() }, ...(files !== undefined ? { summary: { files } } : {}) } },
  }),
  busy: (id: string): HookEventInput => ({ type: 'session.status', properties: { sessionID: id, status: { type: 'busy' } } }),
  idleStatus: (id: string, excerpt?: string): HookEventInput => ({ type: 'session.status', properties: { sessionID: id, status: { type: 'idle' } }, meta: excerpt ? { excerpt } : {} }),
  idle: (id: string): HookEventInput => ({ type: 'session.idle', properties: { sessionID: id } }),
  error: (id: string, message: string): HookEventInput => ({ type: 'session.error', properties: { sessionID: id, error: { name: 'APIError', data: { message } } } }),
  asked: (id: string, requestId: string): HookEventInput => ({ type: 'permission.asked', properties: { id: requestId, sessionID: id, permission: 'bash', patterns: ['rm -rf build'] } }),
  replied: (id: string, requestId: string): HookEventInput => ({ type: 'permission.replied', properties: { sessionID: id, requestID: requestId, reply: 'once' } }),
};
