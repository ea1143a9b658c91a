import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ExecResult } from '../driver';

const run = promisify(execFile);

/** Runs argv (never through a shell) in `workspace` or a folder inside it; a non-zero exit is a result, not an error. */
export async function execInWorkspace(
  workspace: string, argv: string[], env: Record<string, string>, opts: { cwd?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('exec needs a command');
  const cwd = path.resolve(workspace, opts.cwd ?? '.');
  if (cwd !== workspace && !cwd.startsWith(workspace + path.sep)) throw new Error(`exec cwd ${opts.cwd} is outside the workspace`);
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' });
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: string | number; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof e.code === 'number') return { exitCode: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    if (e.killed) return { exitCode: 124, stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}\ntimed out after ${opts.timeoutMs ?? 60_000} ms` };
    throw err;
  }
}
