import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Tier } from '../contract';
import type { ProjectRow } from '../db/schema';
import type { Logger } from '../logger';
import type { RuntimeDriver } from '../runtime/driver';
import type { AuthUser } from '../services/users';
import { refuseUpgrade, VncRefusal } from './refusal';
import { TicketStore, type RedeemFailure } from './ticketStore';
import { connectUpstream, HIGH_WATER, parseVncUrl, toBuffer, waitForDrain, type Upstream } from './upstream';

/** What the gateway needs from the rest of the API (narrow, so tests can see what it touches). */
export interface VncGatewayDeps {
  projectRow(id: string): Promise<ProjectRow | undefined>;
  tier(id: string): Promise<Tier>;
  /** The driver of the runtime the project lives on. */
  driver(projectId: string): Promise<RuntimeDriver | undefined>;
  authenticate(token: string): Promise<AuthUser | null>;
  log: Logger;
}

/** /api/projects/<uuid>/vnc */
const VNC_PATH = /^\/api\/projects\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/vnc$/i;

export function vncPath(projectId: string): string {
  return `/api/projects/${projectId}/vnc`;
}

export function isDesktopTier(tier: Pick<Tier, 'imageType' | 'hasDesktopAccess'>): boolean {
  return tier.imageType === 'desktop' || tier.hasDesktopAccess;
}

const TICKET_REFUSALS: Record<RedeemFailure, VncRefusal> = {
  missing: new VncRefusal(401, 'vnc_ticket_missing', 'This websocket needs a ticket: ask POST /api/projects/:id/vnc/ticket for one and connect with ?ticket=….'),
  unknown: new VncRefusal(401, 'vnc_ticket_invalid', 'This VNC ticket is unknown or was already used; each ticket opens one connection. Ask for a new one.'),
  expired: new VncRefusal(401, 'vnc_ticket_expired', 'This VNC ticket has expired (tickets live 60 s). Ask for a new one.'),
  wrong_project: new VncRefusal(403, 'vnc_ticket_wrong_project', 'This VNC ticket was issued for another project. Ask for a ticket for this project.'),
};

interface Session {
  projectId: string;
  browser: WebSocket;
  upstream: Upstream;
}

/**
 * The VNC bridge: tickets, and the websocket route that pipes a browser to the project's VNC server.
 * Every check happens on the upgrade request, before the upstream connection is even opened, so a
 * refused request never reaches the VNC server.
 */
export class VncGateway {
  readonly tickets = new TicketStore();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  private readonly sessions = new Set<Session>();

  constructor(private readonly deps: VncGatewayDeps) {}

  /** Whether this upgrade request is ours (the http server's 'upgrade' listener asks first). */
  handles(req: IncomingMessage): boolean {
    return VNC_PATH.test(pathOf(req));
  }

  /** The http server's 'upgrade' handler for /api/projects/:id/vnc. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.accept(req, socket, head).catch((err: unknown) => {
      const refusal = err instanceof VncRefusal ? err : new VncRefusal(500, 'internal', 'Internal server error. The server log has the details.');
      if (!(err instanceof VncRefusal)) this.deps.log.error('vnc upgrade failed', { error: err instanceof Error ? err.stack ?? err.message : String(err) });
      else this.deps.log.info('vnc upgrade refused', { code: refusal.code, status: refusal.status });
      refuseUpgrade(socket, refusal);
    });
  }

  /** Open bridged connections (all, or one project's). */
  activeSessions(projectId?: string): number {
    return [...this.sessions].filter((s) => !projectId || s.projectId === projectId).length;
  }

  /** Cuts the upstream side of a project's bridged connections (project stopped, or a test's drop). */
  dropUpstream(projectId: string): number {
    let n = 0;
    for (const s of this.sessions) {
      if (s.projectId !== projectId) continue;
      s.upstream.close();
      n++;
    }
    return n;
  }

  close(): void {
    for (const s of this.sessions) {
      s.upstream.close();
      s.browser.terminate();
    }
    this.sessions.clear();
    this.wss.close();
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = VNC_PATH.exec(url.pathname);
    if (!match) throw new VncRefusal(404, 'not_found', 'There is no websocket route here.');
    const projectId = match[1]!.toLowerCase();
    const redeemed = this.tickets.redeem(url.searchParams.get('ticket') ?? undefined, projectId);
    if (!redeemed.ok) throw TICKET_REFUSALS[redeemed.reason];
    // A caller that also sends a token (never a webview) must be the ticket's user.
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (auth) {
      const user = await this.deps.authenticate(auth[1]!);
      if (!user || user.id !== redeemed.userId) throw new VncRefusal(403, 'vnc_ticket_other_user', 'This VNC ticket belongs to another user.');
    }
    const version = req.headers['sec-websocket-version'];
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key'] || (version !== '13' && version !== '8')) {
      throw new VncRefusal(400, 'not_a_websocket', 'This route only accepts a websocket upgrade.');
    }
    const row = await this.deps.projectRow(projectId);
    if (!row || row.owner_id !== redeemed.userId) throw new VncRefusal(404, 'not_found', 'Project was not found.');
    const upstreamTarget = await this.target(row);
    const upstream = await connectUpstream(upstreamTarget);
    if (socket.destroyed) {
      upstream.close();
      return;
    }
    // Should the handshake still fail (ws answers it itself), the upstream must not stay open.
    const abandon = () => upstream.close();
    socket.once('close', abandon);
    this.wss.handleUpgrade(req, socket, head, (browser) => {
      socket.off('close', abandon);
      this.bridge(projectId, browser, upstream);
    });
  }

  /** Refuses a project whose desktop cannot be reached, in words a person can act on. */
  private async target(row: ProjectRow) {
    const tier = await this.deps.tier(row.tier_id).catch(() => undefined);
    if (!tier || !isDesktopTier(tier)) {
      throw new VncRefusal(409, 'not_desktop_tier', `The project "${row.name}" is on the ${row.tier_id} tier, which has no desktop. Move it to a desktop tier and redeploy.`);
    }
    if (row.status !== 'running') {
      throw new VncRefusal(409, 'project_not_running', `The project "${row.name}" is ${row.status.replace(/_/g, ' ')}. Start it, then open the desktop again.`);
    }
    const driver = await this.deps.driver(row.id).catch(() => undefined);
    const status = driver ? await driver.status(row.id) : undefined;
    const vncUrl = status?.state === 'running' ? status.vncUrl ?? null : null;
    if (status?.desktop?.state === 'failed') throw new VncRefusal(409, 'desktop_failed', status.desktop.reason ?? `The desktop of "${row.name}" stopped. Redeploy the project to get it back.`);
    if (!vncUrl && status?.desktop?.state === 'restarting') {
      throw new VncRefusal(503, 'desktop_restarting', `The desktop of "${row.name}" is restarting; it reconnects by itself in a moment.`);
    }
    if (!vncUrl) {
      const notes = (JSON.parse(row.runtime_notes || '[]') as string[]).filter((n) => /desktop|VNC|Xvfb|x11vnc/i.test(n));
      throw new VncRefusal(409, 'desktop_unavailable', `The project "${row.name}" runs without a desktop${notes.length ? `: ${notes.join('; ')}` : ''}. Redeploy it once the runtime can provide one.`);
    }
    try {
      return parseVncUrl(vncUrl);
    } catch (err) {
      throw new VncRefusal(502, 'vnc_unreachable', `The runtime reported an unusable VNC address (${(err as Error).message}).`);
    }
  }

  private bridge(projectId: string, browser: WebSocket, upstream: Upstream): void {
    const session: Session = { projectId, browser, upstream };
    this.sessions.add(session);
    this.deps.log.info('vnc bridge opened', { projectId });
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      this.sessions.delete(session);
      upstream.close();
      // 1011 tells the client the server side went away (it reconnects with a fresh ticket).
      if (browser.readyState === WebSocket.OPEN) browser.close(why.startsWith('browser') ? 1000 : 1011, why.slice(0, 120));
      else browser.terminate();
      this.deps.log.info('vnc bridge closed', { projectId, why });
    };
    upstream.onData((data) => {
      if (browser.readyState !== WebSocket.OPEN) return;
      browser.send(data);
      if (browser.bufferedAmount > HIGH_WATER) {
        upstream.pause();
        waitForDrain(browser, () => upstream.resume());
      }
    });
    upstream.onClose((why) => end(why));
    browser.on('message', (data) => {
      if (!upstream.send(toBuffer(data))) {
        browser.pause();
        upstream.onDrain(() => browser.resume());
      }
    });
    browser.on('close', () => end('browser closed the connection'));
    browser.on('error', () => end('browser connection error'));
  }
}

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
