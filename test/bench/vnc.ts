// The VNC bridge: time from "Open Desktop" (the ticket request) to the first framebuffer update, and
// the bridge's throughput and added latency against a direct TCP connection to the same x11vnc, in
// the same run. `node --import tsx test/bench/vnc.ts`; BENCH_VNC_FRAMES=N (default 30), BENCH_VNC_PINGS=N
// (default 200). Needs Xvfb and x11vnc. No assertions.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OperationList, Project, VncTicket } from '../../backend/contract';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { client, startTestApi } from '../integration/support/apiServer';
import { handshake, readUpdate, requestUpdate, tcpChannel, tryWebSocket, wsChannel, type ByteChannel } from '../integration/vnc/rfbClient';
import { fmt, percentile } from './stats';
import { record } from './results';

const FRAMES = Number(process.env.BENCH_VNC_FRAMES ?? 30);
const PINGS = Number(process.env.BENCH_VNC_PINGS ?? 200);
const OPENS = 20;
const run = promisify(execFile);

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);

async function main(): Promise<void> {
  const api = await startTestApi({ HANGAR_RUNTIME: 'local' });
  const http = client(api.url, api.adminToken);
  try {
    const project = (await http.post<Project>('/api/projects', { name: 'vnc bench', tierId: 'desktop' })).body;
    const op = (await http.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    for (;;) {
      const o = (await http.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((x) => x.id === op.id);
      if (o?.state === 'succeeded') break;
      if (o && ['failed', 'cancelled'].includes(o.state)) throw new Error(`deploy ${o.state}: ${o.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const desk = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'projects', project.id, 'desktop.json'), 'utf8')) as { display: number; vncPort: number };
    await run('xsetroot', ['-display', `:${desk.display}`, '-solid', '#3366cc']);
    const wsBase = api.url.replace(/^http/, 'ws');

    const bridged = async (): Promise<ByteChannel> => {
      const t = (await http.post<VncTicket>(`/api/projects/${project.id}/vnc/ticket`)).body;
      const a = await tryWebSocket(`${wsBase}${t.path}?ticket=${t.ticket}`);
      if (!a.open) throw new Error(`bridge refused: ${a.status} ${JSON.stringify(a.body)}`);
      return wsChannel(a.ws);
    };
    const direct = () => tcpChannel(desk.vncPort);

    /** Open → first full framebuffer update (what the panel waits for before it shows anything). */
    const firstFrame = async (open: () => Promise<ByteChannel>) => {
      const t = performance.now();
      const ch = await open();
      const init = await handshake(ch);
      requestUpdate(ch, init.width, init.height);
      await readUpdate(ch, init.width, Buffer.alloc(init.width * init.height * 4));
      const ms = performance.now() - t;
      ch.close();
      return ms;
    };
    const openB: number[] = [];
    const openD: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      openD.push(await firstFrame(direct));
      openB.push(await firstFrame(bridged));
    }

    const b = await bridged();
    const d = await direct();
    const ib = await handshake(b);
    const id = await handshake(d);
    const w = ib.width;
    const h = ib.height;
    const fb = Buffer.alloc(w * h * 4);
    /** A full non-incremental raw update of the whole screen: 1280×800×4 bytes. */
    const frame = async (ch: ByteChannel) => {
      const t = performance.now();
      requestUpdate(ch, w, h);
      const bytes = await readUpdate(ch, w, fb);
      return { ms: performance.now() - t, bytes };
    };
    /** A 1×1 update: the round trip with almost no payload. */
    const ping = async (ch: ByteChannel) => {
      const t = performance.now();
      const m = Buffer.alloc(10);
      m[0] = 3; m[1] = 0; m.writeUInt16BE(1, 6); m.writeUInt16BE(1, 8);
      ch.write(m);
      await readUpdate(ch, w, fb);
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) { await frame(d); await frame(b); }
    const fd: number[] = [];
    const fbr: number[] = [];
    let bytes = 0;
    for (let i = 0; i < FRAMES; i++) {
      fd.push((await frame(d)).ms);
      const r = await frame(b);
      fbr.push(r.ms);
      bytes = r.bytes;
    }
    for (let i = 0; i < 20; i++) { await ping(d); await ping(b); }
    const pd: number[] = [];
    const pb: number[] = [];
    for (let i = 0; i < PINGS; i++) {
      pd.push(await ping(d));
      pb.push(await ping(b));
    }
    b.close();
    d.close();
    void id;

    record({ suite: 'VNC desktop', name: 'open → first full frame, median', value: median(openB), unit: 'ms',
      baseline: { name: 'direct TCP', value: median(openD) }, target: '≤ ×1.3 of direct',
      met: median(openB) <= 1.3 * median(openD) });
    record({ suite: 'VNC desktop', name: `full frame (${(bytes / 1e6).toFixed(1)} MB), median`, value: median(fbr),
      unit: 'ms', baseline: { name: 'direct TCP', value: median(fd) }, target: '≤ ×1.1 of direct',
      met: median(fbr) <= 1.1 * median(fd) });
    const mbps = (ms: number) => `${((bytes / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;
    console.log(`VNC bridge (x11vnc on Xvfb ${w}x${h}, raw encoding, loopback, local runtime)`);
    console.log(`  open → first full frame ×${OPENS}: direct TCP median ${fmt(median(openD))}; through the API (ticket POST + websocket + bridge) median ${fmt(median(openB))}, p95 ${fmt(p95(openB))}`);
    console.log(`  full frame (${(bytes / 1e6).toFixed(1)} MB) ×${FRAMES}: direct median ${fmt(median(fd))} (${mbps(median(fd))}); bridged median ${fmt(median(fbr))} (${mbps(median(fbr))}); ratio ${(median(fbr) / median(fd)).toFixed(2)}x`);
    console.log(`  1x1 update round trip ×${PINGS}: direct median ${fmt(median(pd))}, p95 ${fmt(p95(pd))}; bridged median ${fmt(median(pb))}, p95 ${fmt(p95(pb))}; added ${fmt(median(pb) - median(pd))}`);
  } finally {
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    // The desktop (Xvfb, x11vnc) of the bench project.
    for (const dir of fs.existsSync(path.join(api.dataDir, 'projects')) ? fs.readdirSync(path.join(api.dataDir, 'projects')) : []) {
      try {
        const r = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'projects', dir, 'desktop.json'), 'utf8')) as { xvfbPid: number; vncPid: number };
        for (const pid of [r.vncPid, r.xvfbPid]) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
      } catch { /* no desktop */ }
    }
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
