import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { abortError } from '../timing';
import type { ProjectPaths } from './paths';
import { isAlive, killGroup, procStartTime } from './processes';
import { fileSize, waitForLine } from './rotatingLog';
import { findOnPath } from './desktopBinaries';

/** desktop.json: the project's X server and VNC server, so stop, supervision and a restarted API find them. */
const DesktopRecord = z.object({
  v: z.literal(2),
  display: z.number().int().nonnegative(),
  /** x11vnc's unix socket (in a 0700 directory): the only way in, and only the API's user can open it. */
  socket: z.string(),
  xvfbPid: z.number().int().positive(),
  xvfbStart: z.string().nullable(),
  vncPid: z.number().int().positive(),
  vncStart: z.string().nullable(),
});
export type DesktopRecord = z.infer<typeof DesktopRecord>;
/** Records of the TCP era (x11vnc on a loopback port): only read so stop still finds their processes. */
const LegacyRecord = z.object({ v: z.literal(1), xvfbPid: z.number().int().positive(), xvfbStart: z.string().nullable(), vncPid: z.number().int().positive(), vncStart: z.string().nullable() });

export interface DesktopOptions {
  /** Where Xvfb and x11vnc are looked up (PATH by default). */
  searchPath?: string;
  /** WxHxDEPTH of the virtual screen. */
  screen?: string;
  startTimeoutMs?: number;
}

export interface RunningDesktop {
  display: number;
  socket: string;
  /** unix:/path/vnc.sock: the VNC server as the API's bridge reaches it (nothing else can). */
  vncUrl: string;
}

export const DESKTOP_MISSING = 'desktop (VNC) not available: Xvfb and x11vnc are not installed on the API\'s machine; install them (sudo apt-get install xvfb x11vnc) and redeploy';

export function desktopFiles(p: ProjectPaths) {
  return {
    record: path.join(p.root, 'desktop.json'),
    xvfbLog: path.join(p.logsDir, 'xvfb.log'),
    vncLog: path.join(p.logsDir, 'x11vnc.log'),
  };
}

export function vncUrlOf(socket: string): string {
  return `unix:${socket}`;
}

/** sun_path holds 108 bytes: a deep data dir falls back to a private directory under the system tmp. */
const MAX_SOCKET_PATH = 100;

function socketDir(p: ProjectPaths): string {
  const dir = path.join(p.root, 'vnc');
  if (path.join(dir, 'vnc.sock').length <= MAX_SOCKET_PATH) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    return dir;
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-vnc-'));
}

/**
 * The local runtime's desktop for desktop-tier projects: Xvfb on a display it picks itself
 * (-displayfd) and x11vnc listening only on a unix socket in a 0700 directory (no TCP port at all:
 * -rfbport 0, no IPv6 port), so no other local user can reach the screen; the API's bridge is the
 * only way in, behind its tickets. Both run detached in their own process groups like opencode;
 * desktopSupervisor.ts restarts them when they die.
 */
export class LocalDesktop {
  /** How each child this API started ended ("killed by SIGKILL"), for the crash report. */
  private readonly exits = new Map<number, string>();

  constructor(private readonly opts: DesktopOptions = {}) {}

  /** Why there can be no desktop here, or undefined when Xvfb and x11vnc are installed. */
  missing(): string | undefined {
    const sp = this.searchPath();
    return findOnPath('Xvfb', sp) && findOnPath('x11vnc', sp) ? undefined : DESKTOP_MISSING;
  }

  record(p: ProjectPaths): DesktopRecord | undefined {
    return readDesktopRecord(desktopFiles(p).record);
  }

  /** The running desktop of the project, if both its processes are alive. */
  status(p: ProjectPaths): RunningDesktop | undefined {
    const r = this.record(p);
    if (!r || !alive(r.xvfbPid, r.xvfbStart) || !alive(r.vncPid, r.vncStart)) return undefined;
    return { display: r.display, socket: r.socket, vncUrl: vncUrlOf(r.socket) };
  }

  /** Which of the two is gone, and how it ended if this API saw it; undefined while both live. */
  deaths(r: DesktopRecord): { xvfb?: string; vnc?: string } | undefined {
    const x = alive(r.xvfbPid, r.xvfbStart) ? undefined : `Xvfb (pid ${r.xvfbPid}) ${this.exits.get(r.xvfbPid) ?? 'is gone'}`;
    const v = alive(r.vncPid, r.vncStart) ? undefined : `x11vnc (pid ${r.vncPid}) ${this.exits.get(r.vncPid) ?? 'is gone'}`;
    return x || v ? { ...(x ? { xvfb: x } : {}), ...(v ? { vnc: v } : {}) } : undefined;
  }

  /** Starts Xvfb then x11vnc (stopping a previous pair first); resolves once x11vnc listens. */
  async start(p: ProjectPaths, signal: AbortSignal): Promise<RunningDesktop> {
    await this.stop(p);
    const files = desktopFiles(p);
    fs.mkdirSync(p.logsDir, { recursive: true });
    if (this.missing()) throw new Error(DESKTOP_MISSING);
    const xvfb = await this.spawnXvfb(p, undefined, signal);
    const socket = path.join(socketDir(p), 'vnc.sock');
    fs.rmSync(files.vncLog, { force: true });

    try {
      await this.spawnVnc(p, xvfb.display, socket, signal, (vncPid) => writeDesktopRecord(files.record, {
        v: 2, display: xvfb.display, socket, xvfbPid: xvfb.pid, xvfbStart: procStartTime(xvfb.pid), vncPid, vncStart: procStartTime(vncPid),
      }));
    } catch (err) {
      await this.stop(p);
      await killGroup(xvfb.pid, 1000);
      throw err;
    }
    return { display: xvfb.display, socket, vncUrl: vncUrlOf(socket) };
  }

  /**
   * Brings back whichever of the two died, keeping the display number (opencode's DISPLAY) and the
   * socket path (the reported vncUrl). Xvfb gone means x11vnc lost its display: both restart.
   */
  async revive(p: ProjectPaths, r: DesktopRecord, signal: AbortSignal): Promise<DesktopRecord> {
    const file = desktopFiles(p).record;
    let next = r;
    if (!alive(r.xvfbPid, r.xvfbStart)) {
      if (alive(r.vncPid, r.vncStart)) await killGroup(r.vncPid, 1000);
      const xvfb = await this.spawnXvfb(p, r.display, signal);
      next = { ...next, xvfbPid: xvfb.pid, xvfbStart: procStartTime(xvfb.pid) };
      writeDesktopRecord(file, next);
    }
    if (!alive(next.vncPid, next.vncStart)) {
      fs.mkdirSync(path.dirname(r.socket), { recursive: true, mode: 0o700 });
      const base = next;
      await this.spawnVnc(p, r.display, r.socket, signal, (vncPid) => {
        next = { ...base, vncPid, vncStart: procStartTime(vncPid) };
        writeDesktopRecord(file, next);
      });
    }
    return next;
  }

  async stop(p: ProjectPaths): Promise<boolean> {
    const file = desktopFiles(p).record;
    const r = readDesktopRecord(file) ?? readLegacy(file);
    if (!r) return false;
    if (alive(r.vncPid, r.vncStart)) await killGroup(r.vncPid, 2000);
    if (alive(r.xvfbPid, r.xvfbStart)) await killGroup(r.xvfbPid, 2000);
    fs.rmSync(file, { force: true });
    if ('socket' in r) {
      fs.rmSync(r.socket, { force: true });
      if (path.basename(path.dirname(r.socket)).startsWith('hangar-vnc-')) fs.rmSync(path.dirname(r.socket), { recursive: true, force: true });
    }
    return true;
  }

  private searchPath(): string {
    return this.opts.searchPath ?? process.env.PATH ?? '';
  }

  private watchExit(child: ChildProcess, pid: number): void {
    child.once('exit', (code, sig) => {
      this.exits.set(pid, sig ? `was killed by ${sig}` : `exited with code ${code}`);
      if (this.exits.size > 100) this.exits.delete(this.exits.keys().next().value!);
    });
    child.unref();
  }

  /** Xvfb on `display`, or on one it picks (-displayfd) when undefined. */
  private async spawnXvfb(p: ProjectPaths, display: number | undefined, signal: AbortSignal): Promise<{ pid: number; display: number }> {
    const sp = this.searchPath();
    const bin = findOnPath('Xvfb', sp);
    if (!bin) throw new Error(DESKTOP_MISSING);
    const log = desktopFiles(p).xvfbLog;
    const fd = fs.openSync(log, 'w');
    const where = display === undefined ? ['-displayfd', '3'] : [`:${display}`, '-displayfd', '3'];
    const xvfb = spawn(bin, [...where, '-screen', '0', this.opts.screen ?? '1280x800x24', '-nolisten', 'tcp', '-dpi', '96'], {
      detached: true, stdio: ['ignore', fd, fd, 'pipe'], env: { PATH: sp },
    });
    fs.closeSync(fd);
    const pid = xvfb.pid;
    if (!pid) throw new Error(`cannot start ${bin}`);
    this.watchExit(xvfb, pid);
    try {
      return { pid, display: await readDisplay(xvfb, this.opts.startTimeoutMs ?? 20_000, signal, log) };
    } catch (err) {
      await killGroup(pid, 1000);
      throw err;
    }
  }

  /** x11vnc on the unix socket only; `recorded` runs as soon as the pid is known (before the wait). */
  private async spawnVnc(p: ProjectPaths, display: number, socket: string, signal: AbortSignal, recorded: (pid: number) => void): Promise<number> {
    const sp = this.searchPath();
    const bin = findOnPath('x11vnc', sp);
    if (!bin) throw new Error(DESKTOP_MISSING);
    const log = desktopFiles(p).vncLog;
    fs.rmSync(socket, { force: true });
    const from = fileSize(log);
    // -rfbport 0 and -rfbportv6 -1: no TCP listener on any address. -nopw is safe only because of that.
    const vnc = spawn(bin, [
      '-display', `:${display}`, '-unixsock', socket, '-rfbport', '0', '-rfbportv6', '-1', '-noipv6',
      '-forever', '-shared', '-nopw', '-oa', log,
    ], { detached: true, stdio: 'ignore', env: { PATH: sp, DISPLAY: `:${display}` } });
    const pid = vnc.pid;
    if (!pid) throw new Error(`cannot start ${bin}`);
    this.watchExit(vnc, pid);
    recorded(pid);
    try {
      await waitForLine(log, from, /listening on unix socket: /, {
        signal, timeoutMs: this.opts.startTimeoutMs ?? 20_000, stop: () => (isAlive(pid) ? undefined : `x11vnc ${this.exits.get(pid) ?? 'exited'} before listening`),
      });
    } catch (err) {
      await killGroup(pid, 1000);
      if (signal.aborted) throw abortError(signal);
      throw new Error(`the desktop's VNC server did not start: ${(err as Error).message}`, { cause: err });
    }
    return pid;
  }
}

function alive(pid: number, start: string | null): boolean {
  return isAlive(pid) && (start === null || procStartTime(pid) === start);
}

function readDesktopRecord(file: string): DesktopRecord | undefined {
  try {
    return DesktopRecord.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

function readLegacy(file: string): z.infer<typeof LegacyRecord> | undefined {
  try {
    return LegacyRecord.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

function writeDesktopRecord(file: string, r: DesktopRecord): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(r) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Xvfb writes the display it chose to fd 3 once it accepts clients. */
function readDisplay(child: ChildProcess, timeoutMs: number, signal: AbortSignal, log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const pipe = child.stdio[3] as NodeJS.ReadableStream | null;
    if (!pipe) return reject(new Error('Xvfb started without its display pipe'));
    let text = '';
    const done = (err?: Error, display?: number) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      child.removeListener('exit', onExit);
      pipe.removeAllListeners('data');
      (pipe as unknown as { destroy?: () => void }).destroy?.();
      if (err) reject(err);
      else resolve(display!);
    };
    const tail = () => {
      try { return fs.readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n'); } catch { return ''; }
    };
    const onAbort = () => done(abortError(signal));
    const onExit = (code: number | null, sig: NodeJS.Signals | null) => done(new Error(`Xvfb exited (${sig ?? `code ${code}`}) before it chose a display: ${tail()}`));
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => done(new Error(`Xvfb chose no display within ${timeoutMs / 1000} s: ${tail()}`)), timeoutMs);
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const m = /^(\d+)\n/.exec(text);
      if (m) done(undefined, Number(m[1]));
    });
    child.once('exit', onExit);
  });
}
