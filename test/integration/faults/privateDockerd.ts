// A Docker engine of the test's own (its socket, data root and bridge under /tmp), so a test can
// stop and restart it without touching the shared one at /tmp/hangar-docker. Its own bridge
// interface (not docker0) and no iptables rules: the shared engine's network is left alone, and
// published ports go through docker-proxy on 127.0.0.1, which is all the API uses.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ping } from '../../harness/dockerd.mjs';

export interface PrivateDockerd {
  dockerHost: string;
  /** The daemon's pid now (it changes on each restart). */
  pid: () => number;
  /** SIGTERM, as a service manager stops it: its containers are stopped with it. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Stops it (its containers, volumes and bridge go with the directory). */
  destroy: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startPrivateDockerd(tag: string, subnet: number): Promise<PrivateDockerd> {
  const root = `/tmp/hgf-${tag}`; // short: the sockets under it must stay under 108 characters
  const bridge = `hgf${tag}`.slice(0, 15);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `10.213.${subnet}.1/24`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const dockerHost = `unix://${root}/docker.sock`;
  const logFile = path.join(root, 'dockerd.log');
  let storage = 'overlay2';
  let pid = 0;

  const launch = async (): Promise<void> => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn('dockerd', [
      '--host', dockerHost, '--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'),
      '--pidfile', path.join(root, 'dockerd.pid'), '--storage-driver', storage, '--exec-opt', 'native.cgroupdriver=cgroupfs',
      '--bridge', bridge, '--iptables=false', '--ip6tables=false',
    ], { detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.unref();
    let exited = false;
    child.once('exit', () => { exited = true; });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !exited) {
      if (await ping(dockerHost, 500)) { pid = child.pid!; return; }
      await sleep(200);
    }
    if (!exited) child.kill('SIGKILL');
    throw new Error(`private dockerd (${storage}) did not answer; ${logFile}:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`);
  };

  const stop = async (): Promise<void> => {
    if (!pid || !alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  };

  try {
    await launch();
  } catch {
    storage = 'vfs';
    await launch();
  }
  return {
    dockerHost,
    pid: () => pid,
    stop,
    start: launch,
    destroy: async () => {
      await stop();
      try { execFileSync('ip', ['link', 'del', bridge]); } catch { /* gone */ }
      try { execFileSync('umount', ['-R', '-l', root], { stdio: 'ignore' }); } catch { /* nothing mounted */ }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
