import { z } from 'zod';
import { IsoTime } from './common';

/**
 * A one-use ticket for the project's VNC websocket (GET upgrade `path?ticket=…`): webviews cannot
 * send an Authorization header on a websocket, so the API token never has to reach them.
 */
export const VncTicket = z.object({
  ticket: z.string().describe('256 random bits, base64url; single use, bound to you and this project'),
  expiresAt: IsoTime.describe('at most 60 s from now'),
  path: z.string().describe('the websocket route, relative to the API origin: /api/projects/:id/vnc'),
});
export type VncTicket = z.infer<typeof VncTicket>;
