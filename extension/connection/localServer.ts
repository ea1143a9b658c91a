import { spawn as nodeSpawn, execFile } from 'node:child_process';
import { existsSync, openSync, closeSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../core/apiClient';
import type { Fetch } from '../core/fetchTypes';

/** A development checkout can run the API: it has the built server and its native dependency. */
export function isServerCheckout(folder: string | undefined): folder is string {
  if (!folder) return false;
  return existsSync(path.join(folder, 'dist', 'backend', 'main.js'))
    && existsSync(path.join(folder, 'node_modules', 'better-sqlite3'));
}

/** The folder to start the API from: the setting's folder when given, else the extension's own folder. */
export function findServerFolder(extensionPath: string, configuredPath: string | undefined): string | undefined {
  const configured = configuredPath?.trim() ? expandHome(configuredPath.trim()) : undefined;
  if (configured && isServerCheckout(configured)) return configured;
  return isServerCheckout(extensionPath) ? extensionPath : undefined;
}

export function expandHome(p: string, home = os.homedir()): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/**
 * Where the local server's admin token is: the setting when the user set it, else the server's data
 * dir (HANGAR_DATA_DIR, as the server reads it) or its default ~/.hangar.
 */
export function localTokenPath(
  explicitSetting: string | undefined, env: NodeJS.ProcessEnv, home = os.homedir(),
): string {
  if (explicitSetting?.trim()) return expandHome(explicitSetting.trim(), home);
  if (env.HANGAR_DATA_DIR?.trim()) return path.join(expandHome(env.HANGAR_DATA_DIR.trim(), home), 'local-token');
  return path.join(home, '.hangar', 'local-token');
}

/** The token, or undefined when the file is missing, unreadable or empty. */
export async function readLocalToken(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

export class LocalServerError extends Error {
  override readonly name = 'LocalServerError';
  constructor(message: string, readonly kind: 'node_missing' | 'node_too_old' | 'exited' | 'timeout' | 'no_checkout') {
    super(message);
  }
}

/** `node --version` of the given executable; a clear error when it is missing or older than 20. */
export function checkNode(nodePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(nodePath, ['--version'], { timeout: 10_000 }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new LocalServerError(code === 'ENOENT'
          ? `Node.js was not found (${nodePath}). `
            + 'Install Node.js 20 or later, or set "hangar.nodePath" to its executable.'
          : `Could not run ${nodePath} --version: ${err.message}`, 'node_missing'));
        return;
      }
      const version = stdout.trim();
      const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
      const tooOld = `${nodePath} is ${version}; the Hangar API needs Node.js 20 or later. Set "hangar.nodePath".`;
      if (major < 20) reject(new LocalServerError(tooOld, 'node_too_old'));
      else resolve(version);
    });
  });
}

export interface StartOptions {
  folder: string;
  nodePath: string;
  host: string;
  port: number;
  /** stdout and stderr of the server go here. */
  logFile: string;
  fetch: Fetch;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  spawn?: typeof nodeSpawn;
}

export interface StartedServer {
  url: string;
  pid: number | undefined;
  alreadyRunning: boolean;
  nodeVersion: string;
}

/**
 * Starts `node dist/backend/main.js` detached (it outlives the window, like a daemon) and waits until
 * /api/health answers. When a server already answers there, it is used as is.
 */
export async function startLocalServer(o: StartOptions): Promise<StartedServer> {
  const url = `http://${o.host}:${o.port}`;
  const api = new ApiClient({ baseUrl: url, token: undefined, fetch: o.fetch, timeoutMs: 2_000 });
  const nodeVersion = await checkNode(o.nodePath);
  const answers = () => api.health().then(() => true, () => false);
  if (await answers()) return { url, pid: undefined, alreadyRunning: true, nodeVersion };

  mkdirSync(path.dirname(o.logFile), { recursive: true });
  const fd = openSync(o.logFile, 'a');
  const child = (o.spawn ?? nodeSpawn)(o.nodePath, [path.join(o.folder, 'dist', 'backend', 'main.js')], {
    cwd: o.folder,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...(o.env ?? process.env), HANGAR_HOST: o.host, HANGAR_PORT: String(o.port) },
  });
  closeSync(fd);
  let exited: string | undefined;
  child.on('error', (e) => { exited = e.message; });
  child.on('exit', (code, signal) => { exited = `exited with ${signal ?? `code ${code}`}`; });
  child.unref();

  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited) throw new LocalServerError(`The local server ${exited}. See ${o.logFile}.`, 'exited');
    if (await answers()) return { url, pid: child.pid, alreadyRunning: false, nodeVersion };
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = Math.round((o.timeoutMs ?? 20_000) / 1000);
  throw new LocalServerError(
    `The local server did not answer ${url}/api/health within ${seconds} s. See ${o.logFile}.`, 'timeout');
}
