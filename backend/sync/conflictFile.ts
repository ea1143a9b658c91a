import type { SyncConflictFile } from '../contract';
import { SyncError } from './gitErrors';
import { REMOTE, type GitWorkspace } from './gitWorkspace';

/** Larger sides are refused: the merge editor is for text files. */
const MAX_BYTES = 2 * 1024 * 1024;

/** A workspace-relative path that stays inside the workspace and is not an option (else null). */
export function conflictPathProblem(raw: string): string | null {
  try { checkPath(raw); return null; } catch (err) { return err instanceof Error ? err.message : String(err); }
}

function checkPath(raw: string): string {
  const p = raw.replace(/^\.\/+/, '');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!p || p.startsWith('/') || p.startsWith('-') || /[\u0000-\u001f]/.test(p) || p.split('/').some((s) => s === '..' || s === '.git')) {
    throw new SyncError('refused', `"${raw.slice(0, 200)}" is not a workspace-relative file path.`);
  }
  return p;
}

/**
 * The three sides of one conflicting file as the workspace has them now: git's stages during a kept
 * merge/rebase, else (an aborted pull) the merge base, HEAD and the tracking ref of the last fetch.
 * Only git objects are read (never a path of the working tree, which the agent could point anywhere).
 */
export async function readConflictFile(ws: GitWorkspace, rawPath: string, conflicted: string[]): Promise<SyncConflictFile> {
  const path = checkPath(rawPath);
  const inProgress = await ws.inProgress();
  const show = async (spec: string): Promise<string | null> => {
    const res = await ws.run(['cat-file', '-p', spec]);
    if (res.exitCode !== 0) return null;
    if (res.stdout.length > MAX_BYTES) throw new SyncError('refused', `${path} is larger than ${MAX_BYTES / 1024 / 1024} MB: open it from the workspace instead.`);
    return res.stdout;
  };
  // Rebase: stage 2 is the upstream being rebased onto, stage 3 the workspace's commit being replayed.
  const rebase = inProgress === 'rebase';
  const oursLabel = rebase ? `${REMOTE}/${ws.branch} (upstream)` : `${ws.branch} (workspace)`;
  const theirsLabel = rebase ? 'the workspace\'s commit being replayed' : `${REMOTE}/${ws.branch} (upstream)`;
  if (conflicted.includes(path)) {
    const [base, ours, theirs] = await Promise.all([show(`:1:${path}`), show(`:2:${path}`), show(`:3:${path}`)]);
    return { path, source: 'stages', inProgress, base, ours, theirs, oursLabel, theirsLabel };
  }
  if (!(await ws.resolve('HEAD')) || !(await ws.resolve(ws.trackingRef))) {
    throw new SyncError('refused', `${path} is not in conflict, and without a fetched upstream there is nothing to compare it with: fetch first.`);
  }
  const mergeBase = await ws.run(['merge-base', 'HEAD', ws.trackingRef]);
  const baseRef = mergeBase.exitCode === 0 ? mergeBase.stdout.trim() : null;
  const [base, ours, theirs] = await Promise.all([
    baseRef ? show(`${baseRef}:${path}`) : Promise.resolve(null), show(`HEAD:${path}`), show(`${ws.trackingRef}:${path}`),
  ]);
  if (ours === null && theirs === null) throw new SyncError('refused', `${path} is neither in the workspace's branch nor upstream.`);
  return { path, source: 'refs', inProgress, base, ours, theirs, oursLabel: `${ws.branch} (workspace)`, theirsLabel: `${REMOTE}/${ws.branch} (upstream)` };
}

/**
 * Writes a resolved file: the content becomes a blob, the index entry of `path` becomes that blob
 * (the conflict is marked resolved), and git checks it out into the working tree. git refuses to
 * write through a symbolic link or a symlinked directory, so the agent cannot redirect the write.
 */
export async function writeResolvedFile(ws: GitWorkspace, rawPath: string, content: string, conflicted: string[]): Promise<void> {
  const path = checkPath(rawPath);
  if (!conflicted.includes(path)) throw new SyncError('refused', `${path} is not in conflict in the workspace (any more): nothing to resolve.`);
  // The shell only pipes the environment variable into git (no file is written by the shell).
  const blob = (await ws.runShell('printf "%s" "$HANGAR_CONTENT" | git hash-object -w --stdin', { HANGAR_CONTENT: content })).trim();
  if (!/^[0-9a-f]{40,64}$/.test(blob)) throw new SyncError('other', 'git could not store the resolved file.');
  const stages = await ws.ok(['ls-files', '-s', '--', path], 'git ls-files');
  const mode = /^(100755) /m.test(stages) ? '100755' : '100644';
  await ws.ok(['update-index', '--add', '--cacheinfo', `${mode},${blob},${path}`], 'git update-index');
  await ws.ok(['checkout-index', '-f', '-u', '--', path], 'git checkout-index');
}
