// What the desktop panel's host decides, without vscode: which projects have a desktop, the websocket
// URL a ticket opens, the CSP origin, and what to tell the webview when no ticket can be had.
import type { Project, Tier, VncTicket } from '../../backend/contract';
import { ApiError } from '../core/apiError';

export function isDesktopTier(tier: Pick<Tier, 'imageType' | 'hasDesktopAccess'> | undefined): boolean {
  return tier !== undefined && (tier.imageType === 'desktop' || tier.hasDesktopAccess);
}

/** ws(s)://host[:port] of the API: the only place the desktop webview may connect to. */
export function socketOrigin(serverUrl: string): string {
  const u = new URL(serverUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}

/** The websocket URL for one ticket: the API's origin, the route the API named, the ticket. */
export function ticketUrl(serverUrl: string, ticket: Pick<VncTicket, 'path' | 'ticket'>): string {
  if (!ticket.path.startsWith('/api/')) throw new Error(`unexpected VNC path from the server: ${ticket.path}`);
  const base = new URL(serverUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${socketOrigin(serverUrl)}${prefix}${ticket.path}?ticket=${encodeURIComponent(ticket.ticket)}`;
}

export interface Unavailable {
  message: string;
  /** Whether the webview should ask again by itself (transient); otherwise a status change nudges it. */
  retry: boolean;
  /** The runtime gave up on the desktop: the panel offers Redeploy instead of retrying. */
  action?: 'redeploy';
}

/** A failed ticket request in words, and whether it may fix itself. */
export function unavailableFrom(e: unknown, project: Pick<Project, 'name'> | undefined): Unavailable {
  const name = project ? `“${project.name}”` : 'The project';
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'project_not_running':
        return { message: `${name} is not running. Start it and the desktop reconnects by itself.`, retry: false };
      case 'not_desktop_tier': return { message: e.message, retry: false };
      case 'desktop_failed': return { message: e.message, retry: false, action: 'redeploy' };
      case 'desktop_restarting': return { message: e.message, retry: true };
      case 'not_found': return { message: `${name} no longer exists on the server.`, retry: false };
      case 'not_connected':
        return { message: 'Not connected to a Hangar server. Connect, then open the desktop again.', retry: false };
      default:
        if (e.status === 0) {
          return { message: `The Hangar server is unreachable (${e.message}); retrying.`, retry: true };
        }
        return { message: `Could not get a desktop ticket: ${e.message}`, retry: e.status >= 500 };
    }
  }
  return { message: `Could not get a desktop ticket: ${e instanceof Error ? e.message : String(e)}`, retry: true };
}

/** "<slug>-desktop-2026-11-25T20-57-03.png" */
export function screenshotName(slug: string, at: Date): string {
  return `${slug}-desktop-${at.toISOString().slice(0, 19).replace(/:/g, '-')}.png`;
}
