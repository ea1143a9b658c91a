// The fleet benchmark's processes: the simulator and the API replicas, each bundled like the product's
// backend (esbuild, packages external) and run on their own, and what is read from them (RSS).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(ROOT, 'dist', 'bench');

export interface Proc {
  name: string;
  pid: number;
  url: string;
  logFile: string;
  /** Highest RSS seen by sample() (KiB). */
  peakKiB: number;
  sample(): number;
  stop(): Promise<void>;
}

/** Bundles the replica and simulator entry points as the product's backend bundle is built. */
export async function bundle(): Promise<{ replica: string; sim: string }> {
  const out = { replica: path.join(OUT, 'fleet-replica.js'), sim: path.join(OUT, 'fleet-sim.js') };
  await build({
    entryPoints: { 'fleet-replica': path.join(__dirname, 'replica.ts'), 'fleet-sim': path.join(__dirname, 'sim.ts') },
    outdir: OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', minify: true, logLevel: 'warning',
  });
  return out;
}

export const rssKiB = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  } catch {
    return 0;
  }
};

/** Runs `node <entry>` and waits for its `listening <url>` line. */
export async function startProc(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): Promise<Proc> {
  const logFile = path.join(logDir, `${name}.log`);
  const err = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', err] });
  fs.closeSync(err);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 60 s; see ${logFile}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}) during start-up; see ${logFile}`)); });
  });
  child.stdout!.resume();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Proc = {
    name, pid: child.pid!, url, logFile, peakKiB: 0,
    sample() {
      const v = rssKiB(proc.pid);
      proc.peakKiB = Math.max(proc.peakKiB, v);
      return v;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(t);
    },
  };
  return proc;
}
