import { z } from 'zod';
import { DeployBody, LogEvent, LogLines, LogsQuery, Operation, OperationList, UnsyncedGuardQuery } from '../contract';
import { route } from '../http/route';
import { openSse } from '../http/sse';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'config' | 'lifecycle' | 'operations' | 'projects' | 'sync'>;

const IdParams = z.object({ id: z.string().uuid('a project id') });
const OpParams = z.object({ id: z.string().uuid('a project id'), opId: z.string().uuid('an operation id') });
const EmptyBody = z.strictObject({});

/** Container actions: each answers 202 with its operation; progress arrives on /api/events. */
export const containerRoutes = (s: Deps) => [
  route({
    method: 'post', path: '/api/projects/:id/deploy', summary: 'Create or update the container from the tier and start it ({force} recreates it)', tag: 'containers', access: 'user',
    params: IdParams, body: DeployBody, response: Operation, status: 202, errors: [404, 409],
    handler: async ({ user, params, body }) => s.operations.submit(user.id, params.id, 'deploy', body.force),
  }),
  ...(['start', 'restart'] as const).map((kind) => route({
    method: 'post', path: `/api/projects/:id/${kind}`, summary: `${kind[0]!.toUpperCase()}${kind.slice(1)} the container`, tag: 'containers', access: 'user',
    params: IdParams, body: EmptyBody, response: Operation, status: 202, errors: [404, 409],
    handler: async ({ user, params }) => s.operations.submit(user.id, params.id, kind),
  })),
  route({
    method: 'post', path: '/api/projects/:id/stop',
    summary: 'Stop the container; 409 unsynced_changes (UnsyncedChanges details) when the workspace has work not on GitHub, unless ?ignoreUnsynced=true',
    tag: 'containers', access: 'user',
    params: IdParams, query: UnsyncedGuardQuery, body: EmptyBody, response: Operation, status: 202, errors: [404, 409],
    handler: async ({ user, params, query }) => {
      await s.sync.guard(user.id, params.id, 'stop', query.ignoreUnsynced === 'true');
      return s.operations.submit(user.id, params.id, 'stop');
    },
  }),
  route({
    method: 'get', path: '/api/projects/:id/operations', summary: 'Recent container operations, newest first', tag: 'containers', access: 'user',
    params: IdParams, response: OperationList, errors: [404],
    handler: async ({ user, params }) => ({ items: await s.operations.list(user.id, params.id) }),
  }),
  route({
    method: 'post', path: '/api/projects/:id/operations/:opId/cancel', summary: 'Cancel a deploy, start or restart that is still waiting', tag: 'containers', access: 'user',
    params: OpParams, body: EmptyBody, response: Operation, status: 202, errors: [404, 409],
    handler: async ({ user, params }) => s.operations.cancel(user.id, params.id, params.opId),
  }),
  route({
    method: 'get', path: '/api/projects/:id/logs',
    summary: 'The last lines of the agent\'s log (LogLines); ?follow=true streams them and every new one as SSE `event: log` {line}, across restarts',
    tag: 'containers', access: 'user', stream: true,
    params: IdParams, query: LogsQuery, response: LogLines, errors: [404],
    handler: async ({ user, params, query, ctx }) => {
      await s.projects.ownedRow(user.id, params.id);
      const driver = await s.lifecycle.driverFor(params.id);
      // One more line than asked tells whether older ones exist.
      const lines = await driver.logs(params.id, query.tail + 1);
      const shown = lines.slice(-query.tail);
      if (query.follow !== 'true') {
        ctx.status = 200;
        ctx.body = LogLines.parse({ lines: shown, truncated: lines.length > query.tail });
        return;
      }
      const sse = openSse(ctx, s.config.sseHeartbeatMs);
      const controller = new AbortController();
      sse.onClose(() => controller.abort());
      let id = 0;
      const send = (line: string) => sse.send({ id: ++id, type: 'log' }, LogEvent.parse({ line }));
      for (const line of shown) send(line);
      void driver.followLogs(params.id, send, controller.signal)
        .catch((err: unknown) => sse.comment(`log follow ended: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => sse.close());
    },
  }),
];
