// The bridge's websocket upstream (docker and Coolify: websockify on 6080 in front of the VNC server),
// against the real websockify and x11vnc that the desktop image runs. The runtime driver is the one
// stand-in: it reports the ws:// URL the docker driver would.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { Tier } from '../../../backend/contract';
import type { ProjectRow } from '../../../backend/db/schema';
import { silentLogger } from '../../../backend/logger';
import type { RuntimeDriver } from '../../../backend/runtime/driver';
import { LocalDesktop } from '../../../backend/runtime/local/desktop';
import { freeLoopbackPort } from '../../../backend/runtime/local/freePort';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { VncGateway } from '../../../backend/vnc/vncGateway';
import { handshake, pixelAt, readUpdate, requestUpdate, tryWebSocket, wsChannel } from './rfbClient';

const run = promisify(execFile);
const PROJECT = '0b0c0d0e-1111-4222-8333-444455556666';

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, bin)));
}

async function listening(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('VNC bridge: websocket upstream through the real websockify', function () {
  this.timeout(60_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-wsup-'));
  const paths = projectPaths(root, 'p');
  const desktop = new LocalDesktop();
  let websockify: ChildProcess | undefined;
  let server: http.Server | undefined;
  let gateway: VncGateway | undefined;
  let url = '';

  before(async function () {
    if (!['Xvfb', 'x11vnc', 'websockify', 'xsetroot'].every(onPath)) {
      if (process.env.CI === 'true') throw new Error('Xvfb, x11vnc, websockify and xsetroot are required (test/harness/setup-debian.sh)');
      this.skip();
    }
    fs.mkdirSync(paths.root, { recursive: true });
    const d = await desktop.start(paths, new AbortController().signal);
    await run('xsetroot', ['-display', `:${d.display}`, '-solid', '#aa2288']);
    const wsPort = await freeLoopbackPort();
    websockify = spawn('websockify', [`--unix-target=${d.socket}`, `127.0.0.1:${wsPort}`], { stdio: 'ignore' });
    await listening(wsPort);
    const row = { id: PROJECT, owner_id: 'u1', name: 'desk', tier_id: 'desktop', status: 'running', runtime_notes: '[]' } as ProjectRow;
    const driver = { status: async () => ({ state: 'running', vncUrl: `ws://127.0.0.1:${wsPort}/websockify` }) } as unknown as RuntimeDriver;
    gateway = new VncGateway({
      projectRow: async (id) => (id === PROJECT ? row : undefined),
      tier: async () => ({ imageType: 'desktop', hasDesktopAccess: true }) as Tier,
      driver: async () => driver,
      authenticate: async () => null,
      log: silentLogger,
    });
    server = http.createServer((_req, res) => res.end());
    server.on('upgrade', (req, socket, head) => gateway!.upgrade(req, socket, head));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/projects/${PROJECT}/vnc`;
  });

  after(async () => {
    gateway?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    websockify?.kill();
    await desktop.stop(paths);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('pipes RFB between the browser\'s websocket and websockify\'s, pixels included', async () => {
    const a = await tryWebSocket(`${url}?ticket=${gateway!.tickets.issue('u1', PROJECT).ticket}`);
    assert.ok(a.open);
    const ch = wsChannel(a.ws);
    const init = await handshake(ch);
    assert.equal(init.version, 'RFB 003.008');
    const fb = Buffer.alloc(init.width * init.height * 4);
    requestUpdate(ch, init.width, init.height);
    await readUpdate(ch, init.width, fb);
    assert.equal(pixelAt(fb, init.width, 10, 10), '#aa2288');
    assert.equal(gateway!.dropUpstream(PROJECT), 1);
    assert.equal((await ch.closed).code, 1011);
  });

  it('refuses a ticket of another user\'s project before opening the upstream', async () => {
    const foreign = gateway!.tickets.issue('u2', PROJECT);
    const a = await tryWebSocket(`${url}?ticket=${foreign.ticket}`);
    assert.equal(a.open, false);
    if (!a.open) assert.deepEqual([a.status, a.body.error?.code], [404, 'not_found']);
    assert.equal(gateway!.activeSessions(), 0);
  });
});
