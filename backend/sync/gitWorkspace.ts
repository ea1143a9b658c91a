import type { ExecResult } from '../runtime/driver';
import type { SyncCommit } from '../contract';
import { gitEnv, scrub, type GitAuth } from './gitEnv';
import { classifyGitFailure, gitTail, networkFailure, SyncError } from './gitErrors';
import { LOG_FORMAT, parseLeftRight, parseLog, parsePorcelainV2, type PorcelainStatus } from './porcelain';

/** Runs argv in the project's workspace: the runtime driver's exec (local folder, docker container). */
export type Exec = (argv: string[], opts: { env?: Record<string, string>; timeoutMs?: number }) => Promise<ExecResult>;

export const REMOTE = 'origin';
const IDENTITY = { name: 'Hangar', email: 'hangar@localhost' };
const LOCAL_MS = 60_000;
const NETWORK_MS = 10 * 60_000;
/** Config keys that could redirect the credential, weaken TLS, or run programs during a network command. */
const RISKY_CONFIG = '^(http|url|credential|include|includeif)\\.|^core\\.(fsmonitor|askpass|sshcommand|gitproxy|hookspath)$|^remote\\.origin\\.(pushurl|proxy|uploadpack|receivepack|vcs)$';
/** How many commits ahead/behind are listed (the counts are exact). */
export const COMMIT_LIST_LIMIT = 50;

/**
 * git in one project's workspace, one argv per command (no shell), the credential per command
 * through the environment (gitEnv). Every user-derived value (branch) is validated by the caller
 * and placed after `--` or inside a refspec.
 */
export class GitWorkspace {
  /** An identity for commits Hangar makes when the workspace has none of its own. */
  private identity: { name: string; email: string } | undefined;
  private identityChecked = false;

  constructor(
    private readonly exec: Exec,
    readonly branch: string,
    private readonly auth: GitAuth & { host: string },
  ) {}

  get trackingRef(): string { return `refs/remotes/${REMOTE}/${this.branch}`; }

  /** A local command; resolves with its result whatever the exit code. */
  async run(args: string[], timeoutMs = LOCAL_MS): Promise<ExecResult> {
    const res = await this.exec(['git', ...args], { env: gitEnv(undefined, await this.commitIdentity(args)), timeoutMs });
    return res;
  }

  /** A fixed shell script (never user text: values come in through `env`) that must succeed. */
  async runShell(script: string, env: Record<string, string>): Promise<string> {
    const res = await this.exec(['sh', '-c', script], { env: { ...gitEnv(), ...env }, timeoutMs: LOCAL_MS });
    if (res.exitCode !== 0) throw new SyncError('other', `git failed: ${gitTail(res.stderr) || `exit ${res.exitCode}`}`);
    return res.stdout;
  }

  /** A local command that must succeed. */
  async ok(args: string[], what: string): Promise<string> {
    const res = await this.run(args);
    if (res.exitCode !== 0) throw new SyncError('other', `${what} failed: ${gitTail(res.stderr) || `git exited ${res.exitCode}`}`);
    return res.stdout;
  }

  /** A command that talks to the remote with the credential; failures become SyncErrors in words. */
  async network(args: string[]): Promise<ExecResult> {
    const res = await this.exec(['git', ...args], { env: gitEnv(this.auth), timeoutMs: NETWORK_MS });
    return { ...res, stdout: scrub(res.stdout, this.auth.token), stderr: scrub(res.stderr, this.auth.token) };
  }

  async networkOk(args: string[]): Promise<ExecResult> {
    const res = await this.network(args);
    if (res.exitCode !== 0) throw this.failure(res.stderr);
    return res;
  }

  /** A failed network command's output (already scrubbed) as a SyncError in words. */
  failure(output: string): SyncError {
    return networkFailure(classifyGitFailure(output), this.auth.host, output, !!this.auth.token);
  }

  async isRepository(): Promise<boolean> {
    const res = await this.run(['rev-parse', '--is-inside-work-tree']);
    return res.exitCode === 0 && res.stdout.trim() === 'true';
  }

  async status(): Promise<PorcelainStatus> {
    return parsePorcelainV2(await this.ok(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'], 'git status'));
  }

  async resolve(ref: string): Promise<string | null> {
    const res = await this.run(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`]);
    return res.exitCode === 0 ? res.stdout.trim() : null;
  }

  async inProgress(): Promise<'merge' | 'rebase' | null> {
    if (await this.resolve('MERGE_HEAD')) return 'merge';
    // REBASE_HEAD exists while a rebase is stopped on a conflict.
    return (await this.resolve('REBASE_HEAD')) ? 'rebase' : null;
  }

  /** Counts between HEAD and the tracking ref (as of the last fetch). */
  async aheadBehind(): Promise<{ ahead: number; behind: number }> {
    if (!(await this.resolve(this.trackingRef))) return { ahead: 0, behind: 0 };
    // An unborn branch (no commit yet) is behind by every upstream commit, not "up to date".
    if (!(await this.resolve('HEAD'))) {
      return { ahead: 0, behind: Number((await this.ok(['rev-list', '--count', this.trackingRef, '--'], 'git rev-list')).trim()) };
    }
    const lr = parseLeftRight(await this.ok(['rev-list', '--left-right', '--count', `HEAD...${this.trackingRef}`, '--'], 'git rev-list'));
    return { ahead: lr.left, behind: lr.right };
  }

  /** Commits reachable from `to` and not from `from`, newest first (all of `to` when `from` is an unborn HEAD). */
  async commitsBetween(from: string, to: string, limit = COMMIT_LIST_LIMIT): Promise<SyncCommit[]> {
    const range = from === 'HEAD' && !(await this.resolve('HEAD')) ? to : `${from}..${to}`;
    return parseLog(await this.ok(['log', LOG_FORMAT, `-n${limit}`, range, '--'], 'git log'));
  }

  /**
   * Before the token is used: the agent can write the workspace's (and its home's) git config, so
   * settings that could send the token elsewhere or weaken TLS are refused, and origin is put back
   * to the project's URL if it was changed.
   */
  async checkConfigBeforeNetwork(expectedUrl: string): Promise<string | null> {
    const res = await this.run(['config', '--show-scope', '--get-regexp', RISKY_CONFIG]);
    const risky = res.stdout.split('\n').map((l) => l.split('\t')).filter(([scope, kv]) => kv && scope !== 'command' && scope !== 'system').map(([, kv]) => kv!.split(' ')[0]!);
    if (risky.length) {
      throw new SyncError('refused', `The workspace's git configuration sets ${[...new Set(risky)].slice(0, 5).join(', ')}, which could redirect your GitHub token or weaken TLS. Remove ${risky.length === 1 ? 'it' : 'them'} (git config --unset <key>) and try again.`);
    }
    const url = await this.run(['remote', 'get-url', '--', REMOTE]);
    if (url.exitCode === 0 && url.stdout.trim() !== expectedUrl) {
      await this.ok(['remote', 'set-url', '--', REMOTE, expectedUrl], 'git remote set-url');
      return `origin pointed at ${url.stdout.trim().slice(0, 200)}; reset it to ${expectedUrl}`;
    }
    return null;
  }

  private async commitIdentity(args: string[]): Promise<{ name: string; email: string } | undefined> {
    if (!['commit', 'merge', 'rebase', 'stash'].includes(args[0] ?? '')) return undefined;
    if (!this.identityChecked) {
      this.identityChecked = true;
      const email = await this.exec(['git', 'config', 'user.email'], { env: gitEnv(), timeoutMs: LOCAL_MS });
      this.identity = email.exitCode === 0 && email.stdout.trim() ? undefined : IDENTITY;
    }
    return this.identity;
  }
}
