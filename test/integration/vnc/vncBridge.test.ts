import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ErrorBody, Operation, OperationList, Project, VncTicket } from '../../../backend/contract';
import { readRecord, scanProcesses, isAlive } from '../../../backend/runtime/local/processes';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { handshake, pixelAt, readUpdate, requestUpdate, tryWebSocket, wsChannel, type WsAttempt } from './rfbClient';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const run = promisify(execFile);

/** TCP ports (v4 and v6) a process listens on, from its fds and /proc/net. */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec((() => { try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ''; } })());
    if (m) inodes.add(m[1]!);
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9] ?? '')) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function requireDesktopBinaries(): boolean {
  const have = ['Xvfb', 'x11vnc', 'xsetroot'].every((b) => (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, b))));
  if (!have && process.env.CI === 'true') throw new Error('Xvfb, x11vnc and xsetroot are required (test/harness/setup-debian.sh)');
  return have;
}

describe('VNC bridge: desktop tier on the local runtime (real Xvfb + x11vnc)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let malloryToken: string;
  let desk: Project;
  let plain: Project;
  let aliceId: string;

  const wsUrl = (projectId: string, ticket?: string) => `${api.url.replace(/^http/, 'ws')}/api/projects/${projectId}/vnc${ticket === undefined ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;
  const ticketFor = async (p: Project) => {
    const res = await alice.post<VncTicket>(`/api/projects/${p.id}/vnc/ticket`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const projectDir = (p: Project) => path.join(api.dataDir, 'projects', p.id);
  const vncLog = () => fs.readFileSync(path.join(projectDir(desk), 'logs', 'x11vnc.log'), 'utf8');
  const connections = () => (vncLog().match(/unix sock client: /g) ?? []).length;
  const display = () => JSON.parse(fs.readFileSync(path.join(projectDir(desk), 'desktop.json'), 'utf8')) as { display: number; xvfbPid: number; vncPid: number; socket: string };
  const refused = (a: WsAttempt, status: number, code: string) => {
    assert.equal(a.open, false, `expected a refusal ${status} ${code}`);
    if (a.open) return;
    assert.equal(a.status, status, JSON.stringify(a.body));
    assert.equal(a.body.error?.code, code);
    assert.ok((a.body.error?.message ?? '').length > 20, 'a message a person can act on');
  };
  const finished = async (p: Project, op: Operation) => until(`operation ${op.id}`, async () => {
    const found = (await alice.get<OperationList>(`/api/projects/${p.id}/operations`)).body.items.find((o) => o.id === op.id);
    return found && ['succeeded', 'failed', 'cancelled'].includes(found.state) ? found : undefined;
  });

  before(async function () {
    if (!requireDesktopBinaries()) this.skip();
    api = await startTestApi({ HANGAR_RUNTIME: 'local' });
    alice = client(api.url, api.adminToken);
    aliceId = (await alice.get<{ id: string }>('/api/me')).body.id;
    const { id } = await api.server.services.users.createUser('mallory', 'user');
    malloryToken = (await api.server.services.users.createToken(id, 't')).secret;
    mallory = client(api.url, malloryToken);
    desk = (await alice.post<Project>('/api/projects', { name: 'desk', tierId: 'desktop' })).body;
    plain = (await alice.post<Project>('/api/projects', { name: 'plain' })).body;
    const op = (await alice.post<Operation>(`/api/projects/${desk.id}/deploy`, { force: false })).body;
    const done = await finished(desk, op);
    assert.equal(done.state, 'succeeded', done.error ?? '');
  });
  after(async () => {
    if (!api) return;
    await alice.post(`/api/projects/${desk.id}/stop`).catch(() => {});
    await until('stopped', async () => ((await alice.get<Project>(`/api/projects/${desk.id}`)).body.status === 'stopped' ? true : undefined), 20_000).catch(() => {});
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(api.dataDir);
  });

  it('a desktop-tier deploy starts Xvfb and x11vnc on a private unix socket (no TCP port) and gives opencode DISPLAY', async () => {
    const p = (await alice.get<Project>(`/api/projects/${desk.id}`)).body;
    assert.equal(p.status, 'running');
    const d = display();
    assert.equal(p.urls.vnc, `unix:${d.socket}`);
    assert.ok(isAlive(d.xvfbPid) && isAlive(d.vncPid));
    assert.match(vncLog(), /listening on unix socket: /);
    assert.deepEqual(listeningTcpPorts(d.vncPid), [], 'x11vnc listens on no TCP port, on any address');
    assert.equal(fs.statSync(path.dirname(d.socket)).mode & 0o777, 0o700, 'the socket\'s directory is private to the API\'s user');
    const record = readRecord(path.join(projectDir(desk), 'runtime.json'))!;
    const env = fs.readFileSync(`/proc/${record.pid}/environ`, 'utf8').split('\0');
    assert.ok(env.includes(`DISPLAY=:${d.display}`), 'opencode runs with the desktop\'s DISPLAY');
    await run('xsetroot', ['-display', `:${d.display}`, '-solid', '#3366cc']);
  });

  it('bridges a real RFB session: banner, handshake and the screen\'s pixels through the websocket', async () => {
    const seen = connections();
    const t = await ticketFor(desk);
    assert.equal(t.path, `/api/projects/${desk.id}/vnc`);
    assert.ok(Date.parse(t.expiresAt) - Date.now() <= 60_000);
    const a = await tryWebSocket(wsUrl(desk.id, t.ticket));
    assert.ok(a.open);
    const ch = wsChannel(a.ws);
    const init = await handshake(ch);
    assert.equal(init.version, 'RFB 003.008');
    assert.deepEqual([init.width, init.height], [1280, 800]);
    const pixels = Buffer.alloc(init.width * init.height * 4);
    requestUpdate(ch, init.width, init.height);
    await readUpdate(ch, init.width, pixels);
    assert.equal(pixelAt(pixels, init.width, 100, 100), '#3366cc');
    assert.equal(api.server.services.vnc.activeSessions(desk.id), 1);
    assert.equal(connections(), seen + 1, 'x11vnc logs the bridged connection (what the refusal test counts)');
    ch.close();
    await ch.closed;
    await until('session gone', async () => (api.server.services.vnc.activeSessions(desk.id) === 0 ? true : undefined), 5000);
  });

  it('refuses missing, reused, expired, foreign-project and other-user tickets before any byte reaches the VNC server', async () => {
    const before = connections();
    refused(await tryWebSocket(wsUrl(desk.id)), 401, 'vnc_ticket_missing');
    refused(await tryWebSocket(wsUrl(desk.id, 'x'.repeat(43))), 401, 'vnc_ticket_invalid');

    // Reused: the first redemption is refused for another reason (wrong user), the ticket is spent anyway.
    const used = await ticketFor(desk);
    refused(await tryWebSocket(wsUrl(desk.id, used.ticket), { Authorization: `Bearer ${malloryToken}` }), 403, 'vnc_ticket_other_user');
    refused(await tryWebSocket(wsUrl(desk.id, used.ticket)), 401, 'vnc_ticket_invalid');

    // Expired: the store's clock moves past 60 s.
    const old = await ticketFor(desk);
    const tickets = api.server.services.vnc.tickets;
    const realNow = tickets.now;
    tickets.now = () => realNow() + 61_000;
    try {
      refused(await tryWebSocket(wsUrl(desk.id, old.ticket)), 401, 'vnc_ticket_expired');
    } finally {
      tickets.now = realNow;
    }

    // A ticket for one project does not open another.
    const other = api.server.services.vnc.tickets.issue(aliceId, plain.id);
    refused(await tryWebSocket(wsUrl(desk.id, other.ticket)), 403, 'vnc_ticket_wrong_project');

    // Another user cannot get a ticket for this project at all.
    const foreign = await mallory.post<ErrorBody>(`/api/projects/${desk.id}/vnc/ticket`);
    assert.equal(foreign.status, 404);

    // A plain GET without upgrade answers, it does not hang.
    assert.equal((await alice.get<ErrorBody>(`/api/projects/${desk.id}/vnc`)).status, 426);

    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connections(), before, `the VNC server saw a connection:\n${vncLog()}`);
  });

  it('refuses a non-desktop tier with a clear 409, for the ticket and for the websocket', async () => {
    const res = await alice.post<ErrorBody>(`/api/projects/${plain.id}/vnc/ticket`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'not_desktop_tier');
    const t = api.server.services.vnc.tickets.issue(aliceId, plain.id);
    refused(await tryWebSocket(wsUrl(plain.id, t.ticket)), 409, 'not_desktop_tier');
  });

  it('closes the browser side with 1011 when the upstream is cut, and a fresh ticket connects again', async () => {
    const first = await tryWebSocket(wsUrl(desk.id, (await ticketFor(desk)).ticket));
    assert.ok(first.open);
    const ch = wsChannel(first.ws);
    await handshake(ch);
    assert.equal(api.server.services.vnc.dropUpstream(desk.id), 1);
    const closed = await ch.closed;
    assert.equal(closed.code, 1011);
    const again = await tryWebSocket(wsUrl(desk.id, (await ticketFor(desk)).ticket));
    assert.ok(again.open);
    const ch2 = wsChannel(again.ws);
    assert.equal((await handshake(ch2)).version, 'RFB 003.008');
    ch2.close();
  });

  it('another local user cannot connect to x11vnc at all: no TCP port, and its socket\'s directory refuses them', async () => {
    const d = display();
    assert.deepEqual(listeningTcpPorts(d.vncPid), []);
    const before = connections();
    // As "nobody": what any other account on the machine could try.
    // (Debian's python3, not process.execPath: the Node that runs the tests may live in a 0700 cache.)
    const probe = [
      'import errno, socket',
      'sock = socket.socket(socket.AF_UNIX)',
      'try:',
      `    sock.connect(${JSON.stringify(d.socket)}); print("CONNECTED")`,
      'except OSError as e:',
      '    print(errno.errorcode.get(e.errno, str(e.errno)))',
    ].join('\n');
    const { stdout } = await run('/usr/bin/python3', ['-c', probe], { uid: 65534, gid: 65534, cwd: '/' });
    assert.equal(stdout.trim(), 'EACCES');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connections(), before, 'x11vnc saw no connection');
  });

  it('x11vnc killed: supervision restarts it on the same socket, the row says so, and the desktop is shown again through the bridge', async () => {
    const d = display();
    const killedAt = Date.now();
    process.kill(d.vncPid, 'SIGKILL');
    // "Shown again" = a fresh ticket opens the bridge and the RFB handshake yields the screen.
    const shown = await until('the desktop shown again', async () => {
      const t = await alice.post<VncTicket>(`/api/projects/${desk.id}/vnc/ticket`);
      if (t.status !== 201) return undefined;
      const a = await tryWebSocket(wsUrl(desk.id, t.body.ticket));
      if (!a.open) return undefined;
      const ch = wsChannel(a.ws);
      const init = await handshake(ch).catch(() => undefined);
      ch.close();
      return init ? Date.now() : undefined;
    }, 30_000);
    console.log(`      MEASURE local: x11vnc killed → desktop shown again through the bridge in ${shown - killedAt} ms`);
    const after = display();
    assert.notEqual(after.vncPid, d.vncPid);
    assert.equal(after.socket, d.socket, 'same socket: the reported vncUrl stays valid');
    assert.equal(after.xvfbPid, d.xvfbPid, 'the display was not touched');
    const p = (await alice.get<Project>(`/api/projects/${desk.id}`)).body;
    assert.equal(p.status, 'running');
    assert.match(p.statusReason ?? '', /desktop restarted at .*x11vnc \(pid \d+\) was killed by SIGKILL \(restart 1\)/);
  });

  it('a desktop that keeps dying: supervision gives up, the row and the ticket say "Redeploy" (no ticket for a dead desktop)', async () => {
    // Restart 1 was the previous test; two more are allowed within the window, the next death gives up.
    // Each kill waits for a new x11vnc: a killed one can linger as a zombie that still "is alive".
    const killed = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const d = await until('a live x11vnc', async () => {
        const r = display();
        return !killed.has(r.vncPid) && isAlive(r.vncPid) && (await alice.post(`/api/projects/${desk.id}/vnc/ticket`)).status === 201 ? r : undefined;
      }, 30_000);
      killed.add(d.vncPid);
      process.kill(d.vncPid, 'SIGKILL');
    }
    const p = await until('the row reports the give-up', async () => {
      const row = (await alice.get<Project>(`/api/projects/${desk.id}`)).body;
      return /gave up/.test(row.statusReason ?? '') ? row : undefined;
    }, 30_000);
    assert.equal(p.status, 'running', 'the agent itself still runs');
    assert.match(p.statusReason ?? '', /Redeploy the project/);
    const res = await alice.post<ErrorBody>(`/api/projects/${desk.id}/vnc/ticket`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'desktop_failed');
    assert.match(res.body.error.message, /Redeploy/);
    // A redeploy (not forced: what the panel's button runs) brings it back, with a clean slate.
    const op = (await alice.post<Operation>(`/api/projects/${desk.id}/deploy`, { force: false })).body;
    assert.equal((await finished(desk, op)).state, 'succeeded');
    const back = (await alice.get<Project>(`/api/projects/${desk.id}`)).body;
    assert.equal(back.statusReason, null);
    assert.equal((await alice.post(`/api/projects/${desk.id}/vnc/ticket`)).status, 201);
  });

  it('a stopped project: its desktop stops with it and a ticket issued before answers 409, not a hanging socket', async () => {
    const t = await ticketFor(desk);
    const d = display();
    const op = (await alice.post<Operation>(`/api/projects/${desk.id}/stop`)).body;
    assert.equal((await finished(desk, op)).state, 'succeeded');
    assert.ok(!isAlive(d.xvfbPid) && !isAlive(d.vncPid), 'Xvfb and x11vnc stopped with the project');
    refused(await tryWebSocket(wsUrl(desk.id, t.ticket)), 409, 'project_not_running');
    const res = await alice.post<ErrorBody>(`/api/projects/${desk.id}/vnc/ticket`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'project_not_running');
  });
});
