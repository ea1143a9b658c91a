// The fleet simulator: ONE Node HTTP server that hosts thousands of simulated opencode agents
// (simAgent.ts), each under its own base URL `http://127.0.0.1:PORT/a/<agentId>`, with opencode's
// Basic auth (user `opencode`, the agent's OPENCODE_SERVER_PASSWORD). A control API under /_sim
// lets the test-only runtime driver (simDriver.ts) add and remove agents. Test/bench code only:
// nothing under backend/ imports it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimAgent, type SimEvent, type SimTurnOptions } from './simAgent';

export interface FleetSim {
  url: string;
  agents: Map<string, SimAgent>;
  /** Open /event streams across all agents. */
  streams(): number;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 10_000;

type Reply = { status: number; body?: unknown };
const json = (body: unknown, status = 200): Reply => ({ status, body });
const notFound = (what: string): Reply => json({ name: 'NotFoundError', data: { message: `${what} not found` } }, 404);

function send(res: http.ServerResponse, r: Reply): void {
  if (r.body === undefined) {
    res.writeHead(r.status, { 'Content-Length': '0' }).end();
    return;
  }
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

const AGENTS = [
  { name: 'build', mode: 'primary', native: true, permission: [], options: {} },
  { name: 'plan', mode: 'primary', native: true, permission: [], options: {} },
];

/** One agent's REST routes (the path after /a/<id>). */
async function route(agent: SimAgent, method: string, path: string, query: URLSearchParams, req: http.IncomingMessage): Promise<Reply> {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const key = `${method} /${seg.map((s, i) => (i === 1 && seg[0] === 'session' && s !== 'status') || (i === 1 && (seg[0] === 'permission' || seg[0] === 'auth')) ? ':id' : s).join('/')}`;
  const id = seg[1] ?? '';
  switch (key) {
    case 'GET /global/health': return json({ healthy: true, version: '1.18.33' });
    case 'GET /session': return json(agent.listSessions().slice(0, Number(query.get('limit') ?? 10_000)));
    case 'POST /session': {
      const body = await readJson(req);
      return json(agent.createSession(typeof body.title === 'string' ? body.title : undefined));
    }
    case 'GET /session/status': return json(agent.status());
    case 'GET /session/:id': return agent.session(id) ? json(agent.session(id)) : notFound('Session');
    case 'PATCH /session/:id': {
      const body = await readJson(req);
      const s = agent.renameSession(id, String(body.title ?? ''));
      return s ? json(s) : notFound('Session');
    }
    case 'DELETE /session/:id': return agent.deleteSession(id) ? json(true) : notFound('Session');
    case 'GET /session/:id/message': {
      const t = agent.transcript(id, query.has('limit') ? Number(query.get('limit')) : undefined);
      return t ? json(t) : notFound('Session');
    }
    case 'POST /session/:id/prompt_async': {
      const body = await readJson(req);
      const parts = Array.isArray(body.parts) ? body.parts as { type?: string; text?: string }[] : [];
      const text = parts.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('\n');
      return agent.prompt(id, text) ? { status: 204 } : notFound('Session');
    }
    case 'POST /session/:id/abort': return agent.abort(id) ? json(true) : notFound('Session');
    case 'GET /permission': return json(agent.pendingPermissions());
    case 'POST /permission/:id/reply': {
      const body = await readJson(req);
      const reply = body.reply === 'always' || body.reply === 'reject' ? body.reply : 'once';
      return agent.replyPermission(id, reply) ? json(true) : notFound('Permission');
    }
    case 'GET /agent': return json(AGENTS);
    case 'GET /command': return json([]);
    case 'GET /mcp': return json({});
    case 'GET /vcs': return json({ branch: 'main' });
    case 'GET /provider': return json({ all: [], default: {}, connected: [] });
    case 'GET /config/providers': return json({ providers: [], default: {} });
    case 'GET /config': return json({ agent: {} });
    case 'GET /global/config': return json(agent.config);
    case 'PATCH /global/config': {
      agent.config = { ...agent.config, ...(await readJson(req)) };
      return json(agent.config);
    }
    case 'PUT /auth/:id': case 'DELETE /auth/:id': case 'POST /instance/dispose': return json(true);
    default: return notFound(`${method} ${path}`);
  }
}

/** Starts the simulator on loopback (port 0: any free one). */
export async function startFleetSim(opts: { port?: number; turn?: Partial<SimTurnOptions> } = {}): Promise<FleetSim> {
  const turn: SimTurnOptions = { chunks: 5, chunkMs: 20, ...opts.turn };
  const agents = new Map<string, SimAgent>();
  const streams = new Set<http.ServerResponse>();
  const sockets = new Set<import('node:net').Socket>();

  const control = async (req: http.IncomingMessage, seg: string[]): Promise<Reply> => {
    const id = seg[2];
    if (req.method === 'GET' && seg.length === 2) return json({ agents: [...agents.keys()], streams: streams.size });
    if (!id || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return json({ error: 'agent id' }, 400);
    if (req.method === 'PUT') {
      const body = await readJson(req);
      if (typeof body.password !== 'string' || !body.password) return json({ error: 'password' }, 400);
      agents.get(id)?.close();
      agents.set(id, new SimAgent(id, body.password, `/workspace/${id}`, turn));
      return json({ agentUrl: `/a/${id}` });
    }
    if (req.method === 'DELETE') {
      agents.get(id)?.close();
      return json({ removed: agents.delete(id) });
    }
    if (req.method === 'GET') return agents.has(id) ? json({ running: true }) : notFound('Agent');
    return json({ error: 'method' }, 405);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const seg = url.pathname.split('/').filter(Boolean);
    const handle = async (): Promise<void> => {
      if (seg[0] === '_sim' && seg[1] === 'agents') return send(res, await control(req, seg));
      const agent = seg[0] === 'a' ? agents.get(seg[1] ?? '') : undefined;
      if (!agent) return send(res, { status: 502, body: { error: 'no such agent on this simulator' } });
      const expected = 'Basic ' + Buffer.from(`opencode:${agent.password}`).toString('base64');
      if (req.headers.authorization !== expected) return send(res, { status: 401, body: { error: 'Unauthorized' } });
      const rest = '/' + seg.slice(2).join('/');
      if (req.method === 'GET' && rest === '/event') return openStream(agent, res);
      send(res, await route(agent, req.method ?? 'GET', rest, url.searchParams, req));
    };
    handle().catch((err: unknown) => { if (!res.headersSent) send(res, json({ name: 'UnknownError', data: { message: String(err) } }, 500)); });
  });

  function openStream(agent: SimAgent, res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const write = (e: SimEvent) => res.write(`data: ${JSON.stringify(e)}\n\n`);
    write({ id: `evt_connected${Date.now()}`, type: 'server.connected', properties: {} });
    const off = agent.subscribe(write);
    streams.add(res);
    res.on('close', () => { off(); streams.delete(res); });
  }

  // One timer for every stream (opencode sends a heartbeat about every 10 s).
  const heartbeat = setInterval(() => {
    const frame = `data: ${JSON.stringify({ id: `evt_hb${Date.now()}`, type: 'server.heartbeat', properties: {} })}\n\n`;
    for (const res of streams) res.write(frame);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.maxHeadersCount = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    agents,
    streams: () => streams.size,
    async close() {
      clearInterval(heartbeat);
      for (const a of agents.values()) a.close();
      await new Promise<void>((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); });
    },
  };
}
