import type { SyncCommit } from '../contract';
import { classifyGitFailure, gitTail, SyncError } from './gitErrors';
import { LOG_FORMAT, parseLog } from './porcelain';
import { REMOTE, type GitWorkspace } from './gitWorkspace';

/** What one sync action did, before it becomes a SyncResult. */
export interface ActionOutcome {
  ok: boolean;
  commits: SyncCommit[];
  conflicted: string[];
  dirtyHandling: string | null;
  overwritten: SyncCommit[];
  message: string;
  /** The tracking ref after the action (the lease of the next force push). */
  fetchedSha?: string | null;
  fetched?: boolean;
  synced?: 'push' | 'pull';
}

const outcome = (o: Partial<ActionOutcome> & { message: string }): ActionOutcome =>
  ({ ok: true, commits: [], conflicted: [], dirtyHandling: null, overwritten: [], ...o });

const short = (sha: string) => sha.slice(0, 7);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const list = (files: string[]) => files.slice(0, 10).join(', ') + (files.length > 10 ? `, … (${files.length - 10} more)` : '');

/** fetch, tolerating a remote that does not have the branch yet (an empty repository). */
async function fetchBranch(ws: GitWorkspace): Promise<string | null> {
  const res = await ws.network(['fetch', '--no-tags', '--quiet', '--', REMOTE, `+refs/heads/${ws.branch}:${ws.trackingRef}`]);
  if (res.exitCode !== 0) {
    if (/couldn't find remote ref/i.test(res.stderr)) return null;
    throw ws.failure(res.stderr);
  }
  return ws.resolve(ws.trackingRef);
}

export async function importRepository(ws: GitWorkspace, url: string, progress: (m: string) => void): Promise<ActionOutcome> {
  if (!(await ws.isRepository())) {
    await ws.ok(['init', '-q', `--initial-branch=${ws.branch}`], 'git init');
    progress('Created the git workspace');
  }
  const current = await ws.run(['remote', 'get-url', '--', REMOTE]);
  if (current.exitCode === 0) {
    if (current.stdout.trim() !== url) await ws.ok(['remote', 'set-url', '--', REMOTE, url], 'git remote set-url');
  } else {
    await ws.ok(['remote', 'add', '--', REMOTE, url], 'git remote add');
  }
  await ws.ok(['config', '--', `branch.${ws.branch}.remote`, REMOTE], 'git config');
  await ws.ok(['config', '--', `branch.${ws.branch}.merge`, `refs/heads/${ws.branch}`], 'git config');
  progress(`Fetching ${ws.branch} from ${url}`);
  const fetched = await fetchBranch(ws);
  const head = await ws.resolve('HEAD');
  if (!fetched) {
    if (!head) await ws.ok(['symbolic-ref', 'HEAD', `refs/heads/${ws.branch}`], 'git symbolic-ref');
    return outcome({ message: `Connected the workspace to ${url}: the repository has no branch ${ws.branch} yet, the first push creates it.`, fetched: true, fetchedSha: null });
  }
  if (!head) {
    const co = await ws.run(['checkout', '-q', '-B', ws.branch, ws.trackingRef, '--']);
    if (co.exitCode !== 0) throw new SyncError('other', `Could not check out ${ws.branch} into the workspace: ${gitTail(co.stderr)}. Move the listed files away and import again.`);
    const commits = await recent(ws, fetched);
    return outcome({ commits, message: `Imported ${url} (branch ${ws.branch} at ${short(fetched)}) into the workspace.`, fetched: true, fetchedSha: fetched });
  }
  const { ahead, behind } = await ws.aheadBehind();
  return outcome({
    message: `Connected the existing workspace to ${url} (branch ${ws.branch}): ${ahead} ahead, ${behind} behind; pull or push to bring them together.`,
    fetched: true, fetchedSha: fetched,
  });
}

export async function fetchAction(ws: GitWorkspace): Promise<ActionOutcome> {
  const fetched = await fetchBranch(ws);
  const { ahead, behind } = await ws.aheadBehind();
  const message = fetched
    ? `Fetched ${ws.branch}: ${ahead} ahead, ${behind} behind ${REMOTE}/${ws.branch}.`
    : `The repository has no branch ${ws.branch} yet: push to create it.`;
  return outcome({ message, commits: behind ? await ws.commitsBetween('HEAD', ws.trackingRef) : [], fetched: true, fetchedSha: fetched });
}

export async function pushAction(ws: GitWorkspace, opts: { force: boolean; lease: string | null }, progress: (m: string) => void = () => undefined): Promise<ActionOutcome> {
  // A force push replaces the upstream with the workspace's branch: a merge/rebase kept in progress
  // against the commits it overwrites would bring them back when finished, so it is aborted first.
  const pending = opts.force ? await ws.inProgress() : null;
  if (pending) {
    await abort(ws, pending);
    progress(`Aborted the ${pending} in progress (it was against the upstream commits the force push replaces)`);
  }
  const abortedNote = pending ? ` The ${pending} that was in progress was aborted first.` : '';
  const head = await ws.resolve('HEAD');
  if (!head) throw new SyncError('refused', 'There is nothing to push: the workspace has no commits yet.');
  const st = await ws.status();
  const dirtyNote = st.dirty.length ? ` ${plural(st.dirty.length, 'uncommitted file')} stayed in the workspace (only commits are pushed).` : '';
  if (opts.force) {
    if (!opts.lease) throw new SyncError('refused', 'Force push needs a fetch first: Hangar leases the push on the commit it last fetched, so it can say what will be overwritten. Fetch, then force push again.');
    const overwritten = await ws.commitsBetween('HEAD', opts.lease);
    const pushed = await ws.commitsBetween(opts.lease, 'HEAD');
    const res = await ws.network(['push', '--porcelain', `--force-with-lease=refs/heads/${ws.branch}:${opts.lease}`, '--', REMOTE, `HEAD:refs/heads/${ws.branch}`]);
    if (res.exitCode !== 0) {
      if (classifyGitFailure(res.stderr + res.stdout) === 'stale_lease') {
        throw new SyncError('stale_lease', `The force push was refused: ${ws.branch} on the remote moved since your last fetch (lease ${short(opts.lease)}), so it would overwrite commits you have not seen. Fetch, look at the new commits, then pull or force push again.`);
      }
      throw ws.failure(res.stderr + res.stdout);
    }
    const what = overwritten.length ? ` It overwrote ${plural(overwritten.length, 'commit')}: ${overwritten.map((c) => `${short(c.hash)} ${c.subject}`).join('; ')}.` : ' Nothing was overwritten.';
    return outcome({ commits: pushed, overwritten, message: `Force pushed ${plural(pushed.length, 'commit')} to ${ws.branch} (lease ${short(opts.lease)}).${what}${abortedNote}${dirtyNote}`, fetchedSha: await ws.resolve(ws.trackingRef), synced: 'push' });
  }
  // One round trip: the server refuses a push that is not a fast-forward; only then do we fetch to say by how much.
  const tracked = await ws.resolve(ws.trackingRef);
  const pushed = tracked ? await ws.commitsBetween(ws.trackingRef, 'HEAD') : await recent(ws, head);
  const res = await ws.network(['push', '--porcelain', '--', REMOTE, `HEAD:refs/heads/${ws.branch}`]);
  if (res.exitCode !== 0) {
    if (classifyGitFailure(res.stderr + res.stdout) !== 'rejected') throw ws.failure(res.stderr + res.stdout);
    const fetched = await fetchBranch(ws);
    const { behind } = await ws.aheadBehind();
    const refused = new SyncError('refused', `Push refused: ${ws.branch} is ${plural(Math.max(behind, 1), 'commit')} behind ${REMOTE}/${ws.branch}. Pull first (or force push to overwrite them).`);
    refused.fetchedSha = fetched;
    throw refused;
  }
  // git push moved the tracking ref along (the remote's fetch refspec): it is the new lease.
  const after = await ws.resolve(ws.trackingRef);
  if (/\[up to date\]/.test(res.stdout)) return outcome({ message: `Nothing to push: ${ws.branch} is up to date with ${REMOTE}/${ws.branch}.${dirtyNote}`, fetchedSha: after, fetched: true });
  return outcome({ commits: pushed, message: `Pushed ${plural(pushed.length, 'commit')} to ${ws.branch}.${dirtyNote}`, fetched: true, fetchedSha: after, synced: 'push' });
}

export interface PullOptions { mode: 'merge' | 'rebase'; dirty: 'commit' | 'stash' | 'refuse'; onConflict: 'abort' | 'keep' }

export async function pullAction(ws: GitWorkspace, opts: PullOptions, progress: (m: string) => void): Promise<ActionOutcome> {
  const pending = await ws.inProgress();
  if (pending) throw new SyncError('refused', `A ${pending} is in progress in the workspace: resolve and commit it, or abort it (git ${pending} --abort), before pulling again.`);
  const fetched = await fetchBranch(ws);
  if (!fetched) return outcome({ message: `Nothing to pull: the repository has no branch ${ws.branch} yet.`, fetched: true, fetchedSha: null });
  const { behind } = await ws.aheadBehind();
  if (behind === 0) return outcome({ message: `Already up to date with ${REMOTE}/${ws.branch}.`, fetched: true, fetchedSha: fetched, synced: 'pull' });
  const st = await ws.status();
  if (st.conflicted.length) throw new SyncError('refused', `The workspace has unresolved conflicts (${list(st.conflicted)}): resolve them first.`);
  let dirtyHandling: string | null = null;
  let stashed = false;
  if (st.dirty.length) {
    if (opts.dirty === 'refuse') throw new SyncError('refused', `The workspace has ${plural(st.dirty.length, 'uncommitted file')} (${list(st.dirty)}): pull with "commit" or "stash" to keep them safe, or commit them yourself.`);
    if (opts.dirty === 'commit') {
      await ws.ok(['add', '-A', '--', '.'], 'git add');
      await ws.ok(['commit', '-q', '--no-verify', '-m', 'Hangar: save agent work before pull'], 'git commit');
      const sha = (await ws.resolve('HEAD'))!;
      dirtyHandling = `committed as ${short(sha)} ("Hangar: save agent work before pull", ${plural(st.dirty.length, 'file')})`;
    } else {
      await ws.ok(['stash', 'push', '-q', '--include-untracked', '-m', 'Hangar: agent work before pull'], 'git stash');
      stashed = true;
      dirtyHandling = `stashed as stash@{0} (${plural(st.dirty.length, 'file')})`;
    }
    progress(`Uncommitted changes ${dirtyHandling}`);
  }
  const incoming = await ws.commitsBetween('HEAD', ws.trackingRef);
  progress(`${opts.mode === 'rebase' ? 'Rebasing onto' : 'Merging'} ${REMOTE}/${ws.branch} (${plural(behind, 'commit')})`);
  const res = opts.mode === 'rebase'
    ? await ws.run(['rebase', '--no-autostash', ws.trackingRef])
    : await ws.run(['merge', '--no-edit', '--no-verify', ws.trackingRef]);
  if (res.exitCode !== 0) {
    const conflicted = (await ws.status()).conflicted;
    if (!conflicted.length) {
      await abort(ws, opts.mode);
      const restored = stashed ? await popStash(ws) : '';
      throw new SyncError('other', `The ${opts.mode} failed and was undone: ${gitTail(res.stderr || res.stdout)}.${restored}`);
    }
    const files = `${plural(conflicted.length, 'file')}: ${list(conflicted)}`;
    if (opts.onConflict === 'abort') {
      await abort(ws, opts.mode);
      const restored = stashed ? await popStash(ws) : '';
      return outcome({
        ok: false, conflicted, dirtyHandling, fetched: true, fetchedSha: fetched,
        message: `Pull stopped on conflicts in ${files}. The ${opts.mode} was aborted and the workspace is as before the pull${dirtyHandling ? ` (your uncommitted work was ${dirtyHandling})` : ''}.${restored} To resolve them, pull again keeping the merge in progress ("Pull and Merge"), or force push to overwrite the remote.`,
      });
    }
    return outcome({
      ok: false, conflicted, dirtyHandling, fetched: true, fetchedSha: fetched,
      message: `Pull stopped on conflicts in ${files}. The ${opts.mode} is kept in progress: resolve the files, then ${opts.mode === 'rebase' ? 'git add them and git rebase --continue' : 'commit'} (or git ${opts.mode} --abort).${stashed ? ' Your uncommitted work is in stash@{0}: git stash pop once the conflict is resolved.' : ''}`,
    });
  }
  const restored = stashed ? await popStash(ws) : '';
  return outcome({
    commits: incoming, dirtyHandling, fetched: true, fetchedSha: fetched, synced: 'pull',
    message: `Pulled ${plural(behind, 'commit')} into ${ws.branch} (${opts.mode}).${dirtyHandling ? ` Your uncommitted work was ${dirtyHandling}.` : ''}${restored}`,
  });
}

async function abort(ws: GitWorkspace, mode: 'merge' | 'rebase'): Promise<void> {
  await ws.ok([mode, '--abort'], `git ${mode} --abort`);
}

/** Puts stashed work back; says what happened when it could not. */
async function popStash(ws: GitWorkspace): Promise<string> {
  const res = await ws.run(['stash', 'pop', '-q']);
  if (res.exitCode === 0) return ' The stash was restored into the workspace.';
  return ` Restoring the stash hit conflicts, so your work is still safe in stash@{0}: resolve the marked files or run git stash pop later (${gitTail(res.stderr)}).`;
}

/** The newest commits of a ref (up to the list limit). */
async function recent(ws: GitWorkspace, ref: string): Promise<SyncCommit[]> {
  return parseLog(await ws.ok(['log', LOG_FORMAT, '-n20', ref, '--'], 'git log'));
}
