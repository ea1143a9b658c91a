import WebSocket from 'ws';
import { z } from 'zod';
import type { ExecResult } from './driver';
import { basicAuth } from './health';

/**
 * Runs a command inside a project's container through its own opencode server's PTY API (the
 * coolify runtime has no exec of its own). opencode drops a PTY session the moment its process
 * exits, output and all, so a fast command would finish before the output websocket connects: the
 * process therefore waits for one line on its terminal, which is sent once the websocket is open.
 * The gate is `sh -c 'IFS= read -r _; exec "$@"' hangar-exec ARGV...`: the argv travel as the
 * shell's positional parameters and are exec'ed as they are, never parsed by the shell.
 *
 * Limits: a PTY merges stderr into stdout (stderr is always ''), and the output is normalised
 * (ANSI escapes removed, CRLF → LF). The exit code comes from opencode's `pty.exited` event.
 */

const ptySchema = z.object({ id: z.string().regex(/^pty/), status: z.enum(['running', 'exited']) }).passthrough();
const busEventSchema = z.object({ type: z.string(), properties: z.unknown() });
const exitedSchema = z.object({ id: z.string(), exitCode: z.number().int() });

const GATE = 'IFS= read -r _; exec "$@"';
const DEFAULT_TIMEOUT_MS = 120_000;

export class AgentExecError extends Error {
  constructor(message: string, readonly code: 'agent_unreachable' | 'agent_exec_timeout' | 'agent_exec_failed') {
    super(message);
    this.name = 'AgentExecError';
  }
}

export interface AgentExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** ANSI escape sequences (CSI, OSC, two-character escapes) removed, CRLF and lone CR turned into LF. */
export function normalisePtyOutput(raw: string): string {
  return raw
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '')
    .replace(/\r+\n/g, '\n')
    .replace(/\r/g, '\n');
}

export async function agentExec(agentUrl: string, password: string, argv: string[], opts: AgentExecOptions = {}): Promise<ExecResult> {
  if (argv.length === 0 || !argv[0]) throw new AgentExecError('agentExec needs a command.', 'agent_exec_failed');
  const base = agentUrl.replace(/\/+$/, '');
  const auth = basicAuth(password);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  let ptyId: string | undefined;
  let ws: WebSocket | undefined;
  try {
    // Listen for pty.exited before the process exists, so its exit code cannot be missed.
    const exitCodes = new Map<string, number>();
    const exitWaiters = new Map<string, (code: number) => void>();
    const events = await openEvents(base, auth, stop.signal, (type, props) => {
      if (type !== 'pty.exited') return;
      const e = exitedSchema.safeParse(props);
      if (!e.success) return;
      exitCodes.set(e.data.id, e.data.exitCode);
      exitWaiters.get(e.data.id)?.(e.data.exitCode);
    });

    const res = await fetch(`${base}/pty`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        command: 'env',
        args: ['sh', '-c', GATE, 'hangar-exec', ...argv],
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        ...(opts.env ? { env: opts.env } : {}),
        title: 'hangar exec',
      }),
      signal: stop.signal,
    });
    const text = await res.text();
    if (res.status !== 200) throw new AgentExecError(`The agent refused to start the command (HTTP ${res.status}: ${text.slice(0, 200)}).`, 'agent_exec_failed');
    const pty = ptySchema.parse(JSON.parse(text));
    ptyId = pty.id;
    const id = pty.id;
    const exited = new Promise<number>((resolve) => {
      const known = exitCodes.get(id);
      if (known !== undefined) resolve(known);
      else exitWaiters.set(id, resolve);
    });

    let output = '';
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/pty/${encodeURIComponent(id)}/connect?cursor=0`, { headers: { Authorization: auth } });
    ws = socket;
    const closed = new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send('\n'));
      socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        // Binary frames that start with NUL are opencode's control messages ({"cursor":N}).
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        if (isBinary && buf[0] === 0) return;
        output += buf.toString('utf8');
      });
      socket.on('close', () => resolve());
      socket.on('error', (err) => reject(new AgentExecError(`The agent's terminal stream failed: ${err.message}.`, 'agent_unreachable')));
      socket.on('unexpected-response', (_req, r) => reject(new AgentExecError(`The agent refused the terminal stream (HTTP ${r.statusCode}).`, 'agent_exec_failed')));
    });
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new AgentExecError(`The command ${argv[0]} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`, 'agent_exec_timeout'));
      if (stop.signal.aborted) fail();
      else stop.signal.addEventListener('abort', fail, { once: true });
    });
    const [exitCode] = await Promise.race([Promise.all([exited, closed]), aborted]);
    ptyId = undefined;
    events.close();
    // The terminal echoes the gate's newline first.
    const stdout = normalisePtyOutput(output).replace(/^\n/, '');
    return { exitCode, stdout, stderr: '' };
  } catch (err) {
    if (err instanceof AgentExecError) throw err;
    if (stop.signal.aborted) throw new AgentExecError(`The command ${argv[0]} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`, 'agent_exec_timeout');
    const e = err as Error;
    throw new AgentExecError(`The agent at ${base} cannot run the command: ${(e.cause as Error | undefined)?.message ?? e.message}.`, 'agent_unreachable');
  } finally {
    clearTimeout(timer);
    stop.abort();
    ws?.terminate();
    // Still running (timeout or failure): DELETE kills the process.
    if (ptyId) await fetch(`${base}/pty/${encodeURIComponent(ptyId)}`, { method: 'DELETE', headers: { Authorization: auth }, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  }
}

/** opencode's /event server-sent events; resolves once the server says it is connected. */
async function openEvents(base: string, auth: string, signal: AbortSignal, onEvent: (type: string, properties: unknown) => void): Promise<{ close(): void }> {
  const ctl = new AbortController();
  const both = AbortSignal.any([signal, ctl.signal]);
  const res = await fetch(`${base}/event`, { headers: { Authorization: auth, Accept: 'text/event-stream' }, signal: both });
  if (res.status !== 200 || !res.body) throw new AgentExecError(`The agent's event stream answered HTTP ${res.status}: check the project's password and that the agent is running.`, 'agent_unreachable');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { connected = resolve; });
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (!data) continue;
          let parsed;
          try { parsed = busEventSchema.safeParse(JSON.parse(data)); } catch { continue; }
          if (!parsed.success) continue;
          if (parsed.data.type === 'server.connected') connected();
          onEvent(parsed.data.type, parsed.data.properties);
        }
      }
    } catch {
      // aborted: the caller is done
    }
  })();
  await Promise.race([ready, new Promise<void>((_, reject) => both.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
  return { close: () => ctl.abort() };
}
