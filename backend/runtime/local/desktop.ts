import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { abortError } from '../timing';
import { freeLoopbackPort } from './freePort';
import type { ProjectPaths } from './paths';
import { isAlive, killGroup, procStartTime } from './processes';
import { waitForLine } from './rotatingLog';
import { findOnPath } from './desktopBinaries';

/** desktop.json: the project's X server and VNC server, so stop and a restarted API find them. */
const DesktopRecord = z.object({
  v: z.literal(1),
  display: z.number().int().nonnegative(),
  vncPort: z.number().int().positive(),
  xvfbPid: z.number().int().positive(),
  xvfbStart: z.string().nullable(),
  vncPid: z.number().int().positive(),
  vncStart: z.string().nullable(),
});
type DesktopRecord = z.infer<typeof DesktopRecord>;

export interface DesktopOptions {
  /** Where Xvfb and x11vnc are looked up (PATH by default). */
  searchPath?: string;
  /** WxHxDEPTH of the virtual screen. */
  screen?: string;
  startTimeoutMs?: number;
}

export interface RunningDesktop {
  display: number;
  vncPort: number;
  /** tcp://127.0.0.1:PORT: the VNC server as the API's bridge reaches it (never published further). */
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

/**
 * The local runtime's desktop for desktop-tier projects: Xvfb on a display it picks itself
 * (-displayfd) and x11vnc on a free loopback port (-localhost, so only this machine, in practice
 * the API's bridge, reaches it). Both run detached in their own process groups like opencode.
 */
export class LocalDesktop {
  constructor(private readonly opts: DesktopOptions = {}) {}

  /** Why there can be no desktop here, or undefined when Xvfb and x11vnc are installed. */
  missing(): string | undefined {
    const sp = this.opts.searchPath ?? process.env.PATH ?? '';
    return findOnPath('Xvfb', sp) && findOnPath('x11vnc', sp) ? undefined : DESKTOP_MISSING;
  }

  /** The running desktop of the project, if both its processes are alive. */
  status(p: ProjectPaths): RunningDesktop | undefined {
    const r = readDesktopRecord(desktopFiles(p).record);
    if (!r || !alive(r.xvfbPid, r.xvfbStart) || !alive(r.vncPid, r.vncStart)) return undefined;
    return { display: r.display, vncPort: r.vncPort, vncUrl: `tcp://127.0.0.1:${r.vncPort}` };
  }

  /** Starts Xvfb then x11vnc (stopping a previous pair first); resolves once x11vnc listens. */
  async start(p: ProjectPaths, signal: AbortSignal): Promise<RunningDesktop> {
    await this.stop(p);
    const files = desktopFiles(p);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const sp = this.opts.searchPath ?? process.env.PATH ?? '';
    const xvfbBin = findOnPath('Xvfb', sp);
    const vncBin = findOnPath('x11vnc', sp);
    if (!xvfbBin || !vncBin) throw new Error(DESKTOP_MISSING);
    const timeoutMs = this.opts.startTimeoutMs ?? 20_000;

    const xfd = fs.openSync(files.xvfbLog, 'w');
    const xvfb = spawn(xvfbBin, ['-displayfd', '3', '-screen', '0', this.opts.screen ?? '1280x800x24', '-nolisten', 'tcp', '-dpi', '96'], {
      detached: true, stdio: ['ignore', xfd, xfd, 'pipe'], env: { PATH: sp },
    });
    fs.closeSync(xfd);
    if (!xvfb.pid) throw new Error(`cannot start ${xvfbBin}`);
    xvfb.unref();
    let display: number;
    try {
      display = await readDisplay(xvfb, timeoutMs, signal, files.xvfbLog);
    } catch (err) {
      await killGroup(xvfb.pid, 1000);
      throw err;
    }
    const vncPort = await freeLoopbackPort();
    fs.rmSync(files.vncLog, { force: true });
    const from = 0;
    const vnc = spawn(vncBin, [
      '-display', `:${display}`, '-rfbport', String(vncPort), '-localhost', '-noipv6', '-forever', '-shared', '-nopw',
      '-o', files.vncLog,
    ], { detached: true, stdio: 'ignore', env: { PATH: sp, DISPLAY: `:${display}` } });
    if (!vnc.pid) {
      await killGroup(xvfb.pid, 1000);
      throw new Error(`cannot start ${vncBin}`);
    }
    vnc.unref();
    const vncPid = vnc.pid;
    writeDesktopRecord(files.record, {
      v: 1, display, vncPort, xvfbPid: xvfb.pid, xvfbStart: procStartTime(xvfb.pid), vncPid, vncStart: procStartTime(vncPid),
    });
    try {
      // Waits for x11vnc's own "listening" line: probing the port would itself be a VNC connection.
      await waitForLine(files.vncLog, from, /Listening for VNC connections on TCP port \d+/, {
        signal, timeoutMs, stop: () => (isAlive(vncPid) ? undefined : 'x11vnc exited before listening'),
      });
    } catch (err) {
      await this.stop(p);
      if (signal.aborted) throw abortError(signal);
      throw new Error(`the desktop's VNC server did not start: ${(err as Error).message}`, { cause: err });
    }
    return { display, vncPort, vncUrl: `tcp://127.0.0.1:${vncPort}` };
  }

  async stop(p: ProjectPaths): Promise<boolean> {
    const file = desktopFiles(p).record;
    const r = readDesktopRecord(file);
    if (!r) return false;
    if (alive(r.vncPid, r.vncStart)) await killGroup(r.vncPid, 2000);
    if (alive(r.xvfbPid, r.xvfbStart)) await killGroup(r.xvfbPid, 2000);
    fs.rmSync(file, { force: true });
    return true;
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

function writeDesktopRecord(file: string, r: DesktopRecord): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(r) + '\n');
  fs.renameSync(tmp, file);
}

/** Xvfb writes the display it chose to fd 3 once it accepts clients. */
function readDisplay(child: ReturnType<typeof spawn>, timeoutMs: number, signal: AbortSignal, log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const pipe = child.stdio[3] as NodeJS.ReadableStream | null;
    if (!pipe) return reject(new Error('Xvfb started without its display pipe'));
    let text = '';
    const done = (err?: Error, display?: number) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      pipe.removeAllListeners('data');
      (pipe as unknown as { destroy?: () => void }).destroy?.();
      if (err) reject(err);
      else resolve(display!);
    };
    const tail = () => {
      try { return fs.readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n'); } catch { return ''; }
    };
    const onAbort = () => done(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => done(new Error(`Xvfb chose no display within ${timeoutMs / 1000} s: ${tail()}`)), timeoutMs);
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const m = /^(\d+)\n/.exec(text);
      if (m) done(undefined, Number(m[1]));
    });
    child.once('exit', (code, sig) => done(new Error(`Xvfb exited (${sig ?? `code ${code}`}) before it chose a display: ${tail()}`)));
  });
}
