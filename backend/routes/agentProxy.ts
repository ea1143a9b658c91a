import type { PassThrough } from 'node:stream';
import { z } from 'zod';
import { AgentEvent, type AgentPromptBody } from '../contract';
import { confineFileParts, confinePathQuery } from '../opencode/proxyBodySchema';
import { checkedJson, filteredJson } from '../opencode/proxyResponseFilter';
import { HttpError } from '../errors';
import { route, type Method, type RouteDef } from '../http/route';
import { openSse } from '../http/sse';
import { PROXIED_ROUTES, ProxyParams, upstreamPath, type ProxiedRoute } from '../opencode/allowList';
import { callAgent } from '../opencode/upstream';
import { promptAlreadyDelivered } from '../opencode/promptOnce';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'agent' | 'config' | 'projects' | 'streams'>;

const PREFIX = '/api/projects/:id/opencode';
const ProjectId = z.string().uuid('a project id');
const EventQuery = z.object({ lastEventId: z.string().max(20).optional() });
/** A client this far behind is dropped; it reconnects with Last-Event-ID and gets the rest. */
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

/**
 * /api/projects/:id/opencode/...: the project's OpenCode server for an allow-list of routes,
 * with the project's password added here. The agent-side path is built from the allow-list and
 * validated parameters, never from the client's raw path; only known query keys pass; no client
 * header reaches the agent and only Content-Type comes back.
 */
export const agentProxyRoutes = (s: Deps): RouteDef[] => [
  route({
    method: 'get', path: `${PREFIX}/event`,
    summary: 'The agent\'s events relayed as SSE: `id:` is the API\'s (send it back as Last-Event-ID), `event:` is opencode\'s type, data is AgentEvent; `resync` when events were missed, `ready` once the agent is listened to',
    tag: 'agent', access: 'user', stream: true, params: z.object({ id: ProjectId }), query: EventQuery, response: AgentEvent, errors: [404, 409, 429],
    handler: async ({ user, params, query, ctx }) => {
      await s.agent.targets.forUser(user.id, params.id);
      const release = s.streams.acquire(user.id);
      const sse = openSse(ctx, s.config.sseHeartbeatMs);
      sse.onClose(release);
      const raw = ctx.body as PassThrough;
      sse.comment('connected');
      let dropped = false;
      // A client dropped for lagging is closed on a microtask, after attach() has returned.
      const detach = s.agent.relays.get(params.id).attach({
        send: (e) => {
          if (dropped) return;
          sse.send(e, e);
          if (raw.writableLength > MAX_CLIENT_BACKLOG) {
            dropped = true;
            sse.comment('too far behind: reconnect with Last-Event-ID');
            queueMicrotask(() => sse.close());
          }
        },
        end: () => queueMicrotask(() => sse.close()),
      }, ctx.get('Last-Event-ID') || query.lastEventId);
      sse.onClose(detach);
    },
  }),
  ...PROXIED_ROUTES.map((r) => proxiedRoute(s, r)),
];

/** Registered after every other route: the rest of /opencode/... is not proxied. */
export const agentProxyFallbackRoutes = (s: Deps): RouteDef[] =>
  (['get', 'post', 'patch', 'put', 'delete'] as Method[]).flatMap((method) => [`${PREFIX}`, `${PREFIX}/{*rest}`].map((path) => route({
    method, path, summary: 'Not proxied', tag: 'agent', access: 'user', stream: true, params: z.looseObject({ id: ProjectId }),
    handler: async ({ user, params, ctx }) => {
      await s.projects.ownedRow(user.id, params.id);
      throw new HttpError(404, 'not_proxied', `${ctx.method} ${ctx.path.slice(ctx.path.indexOf('/opencode') + '/opencode'.length) || '/'} is not one of the agent routes the API forwards. The forwarded routes are listed in /api/openapi.json under "agent".`);
    },
  })));

function proxiedRoute(s: Deps, r: ProxiedRoute): RouteDef {
  const params = z.object({ id: ProjectId, ...Object.fromEntries((r.params ?? []).map((p) => [p, ProxyParams[p]])) });
  const query = z.object(Object.fromEntries(Object.entries(r.query ?? {}).map(([k, v]) => [k, v.optional()])));
  return route({
    method: r.method, path: PREFIX + r.path, summary: `Agent: ${r.summary}`, tag: 'agent', access: 'user', stream: true,
    params, query, body: r.body, response: r.response, errors: [404, 409, 502, 504],
    handler: async ({ user, params: p, query: q, body, ctx }) => {
      const target = await s.agent.targets.forUser(user.id, p.id);
      const workspace = () => s.projects.ownedRow(user.id, p.id).then((row) => s.agent.workspace(p.id, row.runtime));
      if (r.confinePath) await confinePathQuery((q as { path?: string }).path, await workspace());
      if (r.path.endsWith('/prompt_async')) {
        const sid = (p as Record<string, string>).sessionID ?? '';
        if (await promptAlreadyDelivered(target, sid, body as AgentPromptBody, s.config.agent.timeoutMs)) {
          ctx.status = 204;
          return;
        }
      }
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(q as Record<string, string | undefined>)) if (v !== undefined) qs.set(k, v);
      const res = await callAgent(target, {
        method: r.method.toUpperCase(), path: upstreamPath(r, p as Record<string, string>), query: qs,
        body: r.confineFiles ? await confineFileParts(body as AgentPromptBody, await workspace()) : body, timeoutMs: r.timeoutMs ?? s.config.agent.timeoutMs,
      });
      ctx.status = res.status;
      if (!res.body) {
        if (res.status !== 204) ctx.body = '';
        return;
      }
      if (r.redact) {
        ctx.body = await filteredJson(res.body);
        return;
      }
      if (r.checkResponse && r.response && res.status === 200) {
        ctx.body = await checkedJson(res.body, r.response);
        return;
      }
      ctx.type = res.contentType ?? 'application/octet-stream';
      ctx.body = res.body;
    },
  });
}
