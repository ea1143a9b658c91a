import { z } from 'zod';
import { HangarEvent } from '../contract';
import { route } from '../http/route';
import { openSse } from '../http/sse';
import type { Services } from '../compositionRoot';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'config' | 'hub' | 'streams'>;

const EventsQuery = z.object({ lastEventId: z.string().regex(/^[0-9]+$/).optional() });

export const eventRoutes = (s: Deps) => [
  route({
    method: 'get', path: '/api/events',
    summary: 'Your server-sent-event stream. Send Last-Event-ID to get what you missed, or a `resync` event when that is too old.',
    tag: 'events', access: 'user', stream: true, query: EventsQuery, response: HangarEvent, errors: [429],
    handler: async ({ user, ctx, query }) => {
      const release = s.streams.acquire(user.id);
      const sse = openSse(ctx, s.config.sseHeartbeatMs);
      sse.onClose(release);
      sse.comment('connected');
      const header = ctx.get('Last-Event-ID') || query.lastEventId;
      // Subscribe before replaying so nothing published in between is lost; the client has
      // every id up to `sentUpTo` (its Last-Event-ID, then the replay): only later ones are sent.
      // (On replicas this replica can deliver an event after the replay, or the client's id, covered it.)
      const pending: HangarEvent[] = [];
      let live = false;
      let sentUpTo = 0;
      const send = (e: HangarEvent) => { if (e.id > sentUpTo) { sentUpTo = e.id; sse.send(e, e); } };
      const unsubscribe = s.hub.subscribe(user.id, (e) => (live ? send(e) : pending.push(e)));
      sse.onClose(unsubscribe);
      if (header && /^[0-9]+$/.test(header)) {
        const replay = await s.hub.replaySince(user.id, Number(header));
        if (replay.kind === 'resync') {
          const id = s.hub.lastIssuedId;
          sse.send({ id, type: 'resync' }, { id, at: new Date().toISOString(), type: 'resync', data: { reason: replay.reason } });
        } else {
          sentUpTo = Number(header);
          for (const e of replay.events) send(e);
        }
      }
      for (const e of pending) send(e);
      live = true;
    },
  }),
];
