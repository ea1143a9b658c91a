import type { HangarEvent, Operation, SyncAction, SyncConflictFile, SyncResult, SyncStatus, UnsyncedChanges } from '../contract';
import { SyncResult as SyncResultSchema, SyncStatus as SyncStatusSchema } from '../contract';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { ProjectRow } from '../db/schema';
import { badRequest, conflict } from '../errors';
import type { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { Lifecycle } from '../runtime/lifecycle';
import type { OperationService } from '../services/operations';
import type { ProjectService } from '../services/projects';
import { conflictPathProblem, readConflictFile, writeResolvedFile } from './conflictFile';
import { scrub } from './gitEnv';
import { SyncError } from './gitErrors';
import { fetchAction, importRepository, pullAction, pushAction, type ActionOutcome, type PullOptions } from './gitOps';
import { GitWorkspace, REMOTE } from './gitWorkspace';
import type { GithubCredentials } from './githubCredentials';
import { checkBranch, checkRepoUrl, RepoUrlError } from './repoUrl';
import { SyncStore } from './syncStore';

export interface SyncOptions {
  /** HANGAR_GIT_CA_FILE: a CA bundle git trusts for the repository host (a server with a private CA). */
  caFile?: string;
  caPem?: string;
  /** HANGAR_SYNC_POLL_MS: how often running projects' local status is re-read (0 = never). */
  pollMs: number;
  /** HANGAR_SYNC_ACTIVE_POLL_MS: how often a project whose agent is working is re-read (0 = never). */
  activePollMs?: number;
}

/** The sync options from the configuration (backend/config.ts), with the CA bundle read from its file. */
export function syncOptions(config: Config['sync'], readFile: (p: string) => string): SyncOptions {
  const caPem = config.caFile ? readFile(config.caFile) : undefined;
  return { caFile: config.caFile, caPem, pollMs: config.pollMs, activePollMs: config.activePollMs };
}

/** Where the CA bundle is written inside a container (docker runtime). */
const CONTAINER_CA = '/tmp/hangar-git-ca.pem';
const SYNC_KINDS: ReadonlySet<string> = new Set(['fetch', 'push', 'pull', 'import']);
const GUARD_TIMEOUT_MS = 10_000;
/** After the agent's turn ends its project is re-read a little longer (a commit right at the end). */
const ACTIVE_GRACE_MS = 5_000;
/** An agent that never reports the end of its turn stops being watched after this. */
const ACTIVE_MAX_MS = 30 * 60_000;

type Body = { force?: boolean } & Partial<PullOptions>;

/**
 * GitHub sync of each project's workspace over the runtime driver's exec: status, and
 * fetch/push/pull/import as operations (one per project, with the container operations' events),
 * then `sync.result` and `sync.status` on the owner's event stream.
 */
export class SyncService {
  readonly store: SyncStore;
  private readonly lastPublished = new Map<string, string>();
  private readonly lastStatus = new Map<string, SyncStatus>();
  private timer: NodeJS.Timeout | undefined;
  private activeTimer: NodeJS.Timeout | undefined;
  private activePolling = false;
  private readonly active = new Map<string, number>();

  constructor(
    db: Db,
    private readonly hub: EventHub,
    private readonly projects: ProjectService,
    private readonly operations: OperationService,
    private readonly lifecycle: Lifecycle,
    private readonly github: GithubCredentials,
    private readonly log: Logger,
    private readonly options: SyncOptions,
  ) {
    this.store = new SyncStore(db);
  }

  async status(ownerId: string, projectId: string): Promise<SyncStatus> {
    return this.read(await this.projects.ownedRow(ownerId, projectId));
  }

  /** Validates what can be refused at once (409), then runs the action as an operation (202). */
  async submit(ownerId: string, projectId: string, action: SyncAction, body: Body = {}): Promise<Operation> {
    const row = await this.projects.ownedRow(ownerId, projectId);
    if (!row.repo_url) throw conflict('sync_unavailable', 'This project has no GitHub repository: set one in the project\'s settings first.');
    if (action !== 'import' && row.sync_enabled !== 1) throw conflict('sync_disabled', 'Sync is turned off for this project: enable it in the project\'s repository settings.');
    if (action === 'push' && row.sync_direction === 'pull') throw conflict('sync_direction', 'This project syncs pull only: change its sync direction to "push" or "both" to push.');
    if (action === 'pull' && row.sync_direction === 'push') throw conflict('sync_direction', 'This project syncs push only: change its sync direction to "pull" or "both" to pull.');
    if (action !== 'import' && !(await this.store.get(row.id))?.imported_at) {
      throw conflict('not_imported', `${row.repo_url} has not been imported into the workspace yet, so there is nothing to ${action} against: Retry Import (POST /sync/import) first.`);
    }
    return this.operations.submitTask(ownerId, projectId, action, !!body.force, (progress, _signal, operationId) => this.run(row, action, body, progress, operationId));
  }

  /** After a deploy (or start) the workspace of a project with a repository is imported once. */
  afterOperation(ownerId: string, projectId: string, kind: string, state: string): void {
    if (state !== 'succeeded' || (kind !== 'deploy' && kind !== 'start')) return;
    void (async () => {
      const row = await this.projects.rowById(projectId);
      if (!row?.repo_url) return;
      if ((await this.store.get(projectId))?.imported_at) return;
      await this.submit(ownerId, projectId, 'import');
    })().catch((err: unknown) => this.log.warn('automatic import not started', { projectId, error: err instanceof Error ? err.message : String(err) }));
  }

  /**
   * 409 unsynced_changes when the project has unpushed commits or uncommitted files. Never blocks
   * when sync is off or the workspace cannot be read (the log says why).
   */
  async guard(ownerId: string, projectId: string, what: string, ignore: boolean): Promise<void> {
    const row = await this.projects.ownedRow(ownerId, projectId);
    if (ignore || !row.repo_url || row.sync_enabled !== 1) return;
    let details: UnsyncedChanges | null;
    try {
      details = await withTimeout(this.unsynced(row), GUARD_TIMEOUT_MS);
    } catch (err) {
      this.log.warn('unsynced-changes check skipped: the workspace status could not be read', { projectId, action: what, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!details || (details.commitsAhead.length === 0 && details.dirty.length === 0)) return;
    const parts = [
      details.commitsAhead.length ? `${details.commitsAhead.length} unpushed commit${details.commitsAhead.length === 1 ? '' : 's'}` : '',
      details.dirty.length ? `${details.dirty.length} uncommitted file${details.dirty.length === 1 ? '' : 's'}` : '',
    ].filter(Boolean).join(' and ');
    throw conflict('unsynced_changes', `"${row.name}" has ${parts} that are not on GitHub. Push first, or ${what} it anyway with ignoreUnsynced=true.`, details);
  }

  /** The owner's project for a conflict request: a path that names a file, and a repository to be in. */
  private async conflictRow(ownerId: string, projectId: string, path: string): Promise<ProjectRow> {
    const row = await this.projects.ownedRow(ownerId, projectId);
    const problem = conflictPathProblem(path);
    if (problem) throw badRequest('invalid_path', problem);
    if (!row.repo_url) throw conflict('sync_unavailable', 'This project has no GitHub repository.');
    return row;
  }

  /** One conflicting file's sides, read from the workspace now (409 when it cannot be read). */
  async conflictFile(ownerId: string, projectId: string, path: string): Promise<SyncConflictFile> {
    const row = await this.conflictRow(ownerId, projectId, path);
    try {
      const ws = await this.workspace(row);
      if (!(await ws.isRepository())) throw new SyncError('unavailable', 'The workspace is not a git repository yet: Retry Import first.');
      return await readConflictFile(ws, path, (await ws.status()).conflicted);
    } catch (err) {
      if (err instanceof SyncError) throw conflict(err.kind === 'refused' ? 'conflict_unreadable' : 'sync_unavailable', err.message);
      throw err;
    }
  }

  /** The merge editor's result for one conflicting file, written through git's index (then sync.status). */
  async resolveConflict(ownerId: string, projectId: string, path: string, content: string): Promise<void> {
    const row = await this.conflictRow(ownerId, projectId, path);
    try {
      const ws = await this.workspace(row);
      await writeResolvedFile(ws, path, content, (await ws.status()).conflicted);
    } catch (err) {
      if (err instanceof SyncError) throw conflict(err.kind === 'refused' ? 'not_conflicted' : 'sync_unavailable', err.message);
      throw err;
    }
    await this.publishStatus(row, true);
  }

  start(): void {
    if (!this.options.pollMs || this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.activeTimer);
    this.activeTimer = undefined;
  }

  /**
   * The agent's activity (activity.updated): while a session runs, its project's git state is
   * re-read every activePollMs so its commits show as ahead without a fetch; at the end of the
   * turn once at once, then for a short grace period.
   */
  noteActivity(event: HangarEvent): void {
    if (event.type !== 'activity.updated' || !this.options.activePollMs) return;
    const { projectId, status } = event.data.session;
    const working = status === 'running' || status === 'waiting_for_permission';
    this.active.set(projectId, Date.now() + (working ? ACTIVE_MAX_MS : ACTIVE_GRACE_MS));
    if (!working) void this.refresh(projectId);
    this.activeTimer ??= setInterval(() => void this.pollActive(), this.options.activePollMs);
    this.activeTimer.unref();
  }

  private async pollActive(): Promise<void> {
    if (this.activePolling) return;
    this.activePolling = true;
    try {
      const now = Date.now();
      for (const [projectId, until] of this.active) {
        if (until < now) this.active.delete(projectId);
        else await this.refresh(projectId);
      }
      if (!this.active.size) {
        clearInterval(this.activeTimer);
        this.activeTimer = undefined;
      }
    } finally {
      this.activePolling = false;
    }
  }

  /** sync.status for one project when it changed (the poller's rule), skipped during its operations. */
  private async refresh(projectId: string): Promise<void> {
    const row = await this.projects.rowById(projectId).catch(() => undefined);
    if (!row?.repo_url || row.sync_enabled !== 1 || row.status !== 'running' || this.operations.isBusy(row.id)) return;
    await this.publishStatus(row).catch(() => undefined);
  }

  /** Re-reads running projects' local status and publishes sync.status when it changed (an agent commit). */
  async poll(): Promise<void> {
    const rows = await this.projects.allRows().catch(() => []);
    for (const row of rows) {
      if (!row.repo_url || row.sync_enabled !== 1 || row.status !== 'running' || this.operations.isBusy(row.id)) continue;
      await this.publishStatus(row).catch(() => undefined);
    }
  }

  private async unsynced(row: ProjectRow): Promise<UnsyncedChanges | null> {
    const ws = await this.workspace(row);
    if (!(await ws.isRepository()) || !(await ws.resolve('HEAD'))) return null;
    const st = await ws.status();
    const tracked = await ws.resolve(ws.trackingRef);
    const commitsAhead = tracked ? await ws.commitsBetween(ws.trackingRef, 'HEAD') : await ws.commitsBetween('HEAD~50', 'HEAD').catch(() => []);
    return { commitsAhead, dirty: [...st.dirty, ...st.conflicted] };
  }

  private async run(row: ProjectRow, action: SyncAction, body: Body, progress: (m: string) => void, operationId: string): Promise<{ ok: boolean; message: string }> {
    let out: ActionOutcome;
    let token: string | undefined;
    // Every client shows the spinner at once: the last known status, marked syncing.
    const last = this.lastStatus.get(row.id);
    if (last) this.hub.publish(row.owner_id, 'sync.status', { status: { ...last, syncing: true } });
    else await this.publishStatus(row, true, true);
    try {
      const ws = await this.workspace(row);
      token = ws.token;
      const record = await this.store.get(row.id);
      if (action !== 'import' && !(await ws.isRepository())) throw new SyncError('unavailable', 'The workspace is not a git repository yet: import the repository first.');
      await this.prepareCa(row);
      if (action !== 'import' || (await ws.isRepository())) {
        const note = await ws.checkConfigBeforeNetwork(checkRepoUrl(row.repo_url!).url);
        if (note) progress(note);
      }
      switch (action) {
        case 'import': out = await importRepository(ws, checkRepoUrl(row.repo_url!).url, progress); break;
        case 'fetch': progress(`Fetching ${ws.branch} from ${REMOTE}`); out = await fetchAction(ws); break;
        case 'push': {
          progress(body.force ? `Force pushing ${ws.branch} with a lease` : `Pushing ${ws.branch}`);
          const lease = record?.last_fetched_sha ?? (await ws.resolve(ws.trackingRef));
          out = await pushAction(ws, { force: !!body.force, lease }, progress);
          break;
        }
        case 'pull':
          progress(`Pulling ${ws.branch}`);
          out = await pullAction(ws, { mode: body.mode ?? record?.pull_mode ?? 'merge', dirty: body.dirty ?? 'commit', onConflict: body.onConflict ?? 'abort' }, progress);
          break;
      }
    } catch (err) {
      const message = scrub(err instanceof Error ? err.message : String(err), token);
      if (!(err instanceof SyncError)) this.log.warn('sync action failed', { projectId: row.id, action, error: message });
      out = { ok: false, commits: [], conflicted: [], dirtyHandling: null, overwritten: [], message };
      if (err instanceof SyncError && err.fetchedSha !== undefined) Object.assign(out, { fetched: true, fetchedSha: err.fetchedSha });
    }
    const now = new Date().toISOString();
    await this.store.update(row.id, {
      ...(out.fetched ? { last_fetch_at: now, last_fetched_sha: out.fetchedSha ?? null } : {}),
      ...(out.synced ? { last_sync_at: now, last_sync_direction: out.synced } : {}),
      ...(action === 'import' && out.ok ? { imported_at: now } : {}),
      last_error: out.ok ? null : out.message,
    });
    const result: SyncResult = SyncResultSchema.parse({
      action, ok: out.ok, commits: out.commits, conflicted: out.conflicted, dirtyHandling: out.dirtyHandling, overwritten: out.overwritten, message: scrub(out.message, token),
    });
    progress(result.message);
    this.log.info('sync finished', { projectId: row.id, action, ok: result.ok, commits: result.commits.length, conflicted: result.conflicted.length });
    this.hub.publish(row.owner_id, 'sync.result', { projectId: row.id, operationId, result });
    await this.publishStatus(row, true);
    return { ok: result.ok, message: result.message };
  }

  /** sync.status to the owner (when it changed, or always after an operation). */
  private async publishStatus(row: ProjectRow, always = false, syncing = false): Promise<void> {
    const fresh = (await this.projects.rowById(row.id)) ?? row;
    const status = { ...(await this.read(fresh, true)), syncing };
    const key = JSON.stringify({ ...status, syncing: false });
    if (!always && this.lastPublished.get(row.id) === key) return;
    this.lastPublished.set(row.id, key);
    this.lastStatus.set(row.id, status);
    this.hub.publish(row.owner_id, 'sync.status', { status });
  }

  /** The status without touching the network (counts are as of the last fetch). */
  private async read(row: ProjectRow, afterOperation = false): Promise<SyncStatus> {
    const record = await this.store.get(row.id);
    const kind = this.operations.activeKind(row.id);
    const base: SyncStatus = {
      projectId: row.id, available: false, message: null, branch: row.repo_branch, upstream: null, ahead: 0, behind: 0,
      dirty: [], conflicted: [], inProgress: null, commitsAhead: [], commitsBehind: [],
      lastFetchAt: record?.last_fetch_at ?? null, lastSyncAt: record?.last_sync_at ?? null, lastSyncDirection: record?.last_sync_direction ?? null,
      syncing: !afterOperation && !!kind && SYNC_KINDS.has(kind), webUrl: null,
    };
    if (!row.repo_url) return { ...base, message: 'This project has no GitHub repository: set one in the project\'s settings to sync it.' };
    try {
      base.webUrl = checkRepoUrl(row.repo_url).webUrl;
      if (row.status === 'not_deployed') return { ...base, message: 'The project has not been deployed yet: its workspace is imported from GitHub at the first deploy.' };
      if (!record?.imported_at) {
        // No successful import yet: say so (and why it failed), never "↑0 ↓0 up to date".
        const importing = kind === 'import';
        const failed = !importing && !!record?.last_error;
        return {
          ...base, importState: failed ? 'failed' : 'missing',
          message: importing ? `Importing ${row.repo_url} into the workspace…`
            : failed ? `The import of ${row.repo_url} failed: ${record!.last_error} Retry Import once that is fixed.`
              : `${row.repo_url} has not been imported into the workspace yet: Retry Import.`,
        };
      }
      const ws = await this.workspace(row);
      if (!(await ws.isRepository())) return { ...base, importState: 'missing', message: 'The workspace is not a git repository any more: Retry Import to connect it to the repository again.' };
      const st = await ws.status();
      const tracked = await ws.resolve(ws.trackingRef);
      // git status counts nothing on an unborn branch: aheadBehind counts every upstream commit as behind.
      const { ahead, behind } = st.oid && st.upstream === `${REMOTE}/${ws.branch}` && st.ahead !== null && st.behind !== null
        ? { ahead: st.ahead, behind: st.behind } : await ws.aheadBehind();
      return SyncStatusSchema.parse({
        ...base, available: true, importState: 'imported', message: record?.last_error ?? null,
        branch: st.branch, upstream: tracked ? `${REMOTE}/${ws.branch}` : null, ahead, behind,
        dirty: st.dirty, conflicted: st.conflicted, inProgress: await ws.inProgress(),
        commitsAhead: ahead ? await ws.commitsBetween(ws.trackingRef, 'HEAD') : [],
        commitsBehind: behind ? await ws.commitsBetween('HEAD', ws.trackingRef) : [],
      });
    } catch (err) {
      return { ...base, message: err instanceof Error ? err.message : String(err) };
    }
  }

  private async workspace(row: ProjectRow): Promise<GitWorkspace & { token?: string }> {
    let driver;
    try {
      driver = await this.lifecycle.driverFor(row.id);
    } catch (err) {
      throw new SyncError('unavailable', `No runtime can reach the workspace: ${err instanceof Error ? err.message : String(err)}.`);
    }
    let repo;
    let branch;
    try {
      repo = checkRepoUrl(row.repo_url ?? '');
      branch = checkBranch(row.repo_branch ?? 'main');
    } catch (err) {
      if (err instanceof RepoUrlError) throw new SyncError('refused', err.message);
      throw err;
    }
    const token = await this.github.tokenFor(row.owner_id, repo.host);
    const caFile = this.options.caFile ? (driver.name === 'local' ? this.options.caFile : CONTAINER_CA) : undefined;
    const exec = async (argv: string[], opts: { env?: Record<string, string>; timeoutMs?: number }) => {
      try {
        return await driver.exec(row.id, argv, opts);
      } catch (err) {
        throw new SyncError('unavailable', `The workspace cannot be reached (${err instanceof Error ? err.message : String(err)}): start the project and try again.`);
      }
    };
    const ws = new GitWorkspace(exec, branch, { origin: new URL(repo.url).origin, host: repo.host, token, caFile });
    return Object.assign(ws, { token });
  }

  /** Docker: the CA bundle (if any) is written into the container, from the environment, no user data in the script. */
  private async prepareCa(row: ProjectRow): Promise<void> {
    const driver = await this.lifecycle.driverFor(row.id).catch(() => undefined);
    if (!this.options.caPem || !driver || driver.name === 'local') return;
    const res = await driver.exec(row.id, ['sh', '-c', `umask 022 && printf '%s' "$HANGAR_GIT_CA" > ${CONTAINER_CA}`], { env: { HANGAR_GIT_CA: this.options.caPem }, timeoutMs: 10_000 });
    if (res.exitCode !== 0) throw new SyncError('other', `Could not place the CA bundle in the container: ${res.stderr.trim()}`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
