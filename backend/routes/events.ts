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
      // Subscribe before replaying so nothing published in between is lost; the replay
      // covers ids up to `replayedUpTo`, live events after that.
      const pending: HangarEvent[] = [];
      let live = false;
      const unsubscribe = s.hub.subscribe(user.id, (e) => (live ? sse.send(e, e) : pending.push(e)));
      sse.onClose(unsubscribe);
      let replayedUpTo = 0;
      if (header && /^[0-9]+$/.test(header)) {
        const replay = s.hub.replaySince(user.id, Number(header));
        if (replay.kind === 'resync') {
          const id = s.hub.lastIssuedId;
          sse.send({ id, type: 'resync' }, { id, at: new Date().toISOString(), type: 'resync', data: { reason: replay.reason } });
        } else {
          for (const e of replay.events) sse.send(e, e);
          replayedUpTo = replay.events.at(-1)?.id ?? 0;
        }
      }
      for (const e of pending) if (e.id > replayedUpTo) sse.send(e, e);
      live = true;
    },
  }),
];
