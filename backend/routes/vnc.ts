import { z } from 'zod';
import { VncTicket } from '../contract';
import { conflict, HttpError } from '../errors';
import { route } from '../http/route';
import type { Services } from '../compositionRoot';
import { isDesktopTier, vncPath } from '../vnc/vncGateway';

/** What these routes use of the API's parts (backend/compositionRoot.ts), and nothing else. */
type Deps = Pick<Services, 'lifecycle' | 'projects' | 'tiers' | 'vnc'>;

const IdParams = z.object({ id: z.string().uuid('a project id') });
const EmptyBody = z.strictObject({});

/** The desktop tier's screen: a ticket here, then the websocket upgrade (handled on the http server, see vncGateway). */
export const vncRoutes = (s: Deps) => [
  route({
    method: 'post', path: '/api/projects/:id/vnc/ticket',
    summary: 'A one-use ticket (≤ 60 s) for the project\'s VNC websocket: GET upgrade /api/projects/:id/vnc?ticket=…',
    tag: 'desktop', access: 'user', params: IdParams, body: EmptyBody, response: VncTicket, status: 201, errors: [404, 409],
    handler: async ({ user, params }) => {
      const row = await s.projects.ownedRow(user.id, params.id);
      const tier = await s.tiers.get(row.tier_id);
      if (!isDesktopTier(tier)) throw conflict('not_desktop_tier', `The project "${row.name}" is on the ${tier.id} tier, which has no desktop. Move it to a desktop tier and redeploy.`);
      if (row.status !== 'running') throw conflict('project_not_running', `The project "${row.name}" is ${row.status.replace(/_/g, ' ')}. Start it, then open the desktop.`);
      // A ticket for a desktop that is down would only buy a refused websocket: say why instead.
      const desktop = (await s.lifecycle.driverFor(row.id).then((d) => d.status(row.id)).catch(() => undefined))?.desktop;
      if (desktop?.state === 'failed') throw conflict('desktop_failed', desktop.reason ?? `The desktop of "${row.name}" stopped. Redeploy the project to get it back.`);
      if (desktop?.state === 'restarting') {
        throw conflict('desktop_restarting', `The desktop of "${row.name}" is restarting${desktop.reason ? ` (${desktop.reason})` : ''}; it reconnects by itself in a moment.`);
      }
      const issued = s.vnc.tickets.issue(user.id, row.id);
      return { ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString(), path: vncPath(row.id) };
    },
  }),
  route({
    method: 'get', path: '/api/projects/:id/vnc',
    summary: 'The VNC websocket (RFB in binary messages). Upgrade with ?ticket=… from POST …/vnc/ticket; a plain GET answers 426',
    tag: 'desktop', access: 'user', params: IdParams, errors: [401, 403, 404, 409, 426, 502, 503],
    handler: async ({ user, params }) => {
      // Someone else's project is 404 like any other route, not a hint that it exists.
      await s.projects.ownedRow(user.id, params.id);
      throw new HttpError(426, 'upgrade_required', 'Open this route as a websocket with ?ticket=… (from POST /api/projects/:id/vnc/ticket).');
    },
  }),
];
