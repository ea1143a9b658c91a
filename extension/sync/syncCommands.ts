import * as vscode from 'vscode';
import type { Operation, Project, SyncResult, SyncStatus } from '../../backend/contract';
import { ApiError, operationInProgress } from '../core/apiError';
import type { ForcePushArgs, PullArgs, SyncArgs } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { pickProject, projectIdOf } from '../projects/projectPicker';
import type { HangarSession } from '../core/hangarSession';
import { progressMessage, type OperationTracker } from '../projects/operationTracker';
import type { Logger } from '../core/ports';
import { showError } from '../core/userErrors';
import { hostOfTokenMessage, importFailedNotice } from './importNotice';
import type { Notices } from './notices';
import { openConflictingFiles, type ConflictFiles, type OpenedFile } from './remoteFiles';
import { commitPicks, syncMenuItems, type SyncAction } from './syncPicks';
import { conflictNotice, forcePushConfirmation, resultSummary } from './syncMessages';
import type { SyncModel } from './syncModel';

export interface SyncCommandDeps {
  session: HangarSession;
  model: SyncModel;
  tracker: OperationTracker;
  log: Logger;
  notices: Notices;
  /** GET /api/projects/:id/sync into the model; undefined when it failed (logged). */
  refreshStatus(projectId: string): Promise<SyncStatus | undefined>;
  /** Operations these commands started and report themselves (the feature reports the others'). */
  ownOperations: Set<string>;
  /** The documents of the conflicts' sides (the merge editor's base and inputs). */
  conflictSides: ConflictFiles;
}

/** What push/pull/fetch return to code and tests once the operation finished. */
export interface SyncOutcome {
  operation: Pick<Operation, 'id' | 'kind' | 'state' | 'error'>;
  result: SyncResult | undefined;
}

type Handlers = Pick<CommandHandlers,
  | 'hangar.push' | 'hangar.pull' | 'hangar.fetch' | 'hangar.forcePush' | 'hangar.showCommits' | 'hangar.openOnGithub'
  | 'hangar.openConflicts' | 'hangar.syncMenu' | 'hangar.retryImport'>;

type PullMode = 'merge' | 'rebase';
type DirtyChoice = 'commit' | 'stash';

/** A sync.result follows its operation.finished closely; wait this long for it before using the operation alone. */
const RESULT_GRACE_MS = 5_000;

export function syncCommands(d: SyncCommandDeps): Handlers {
  const { session, model, log, notices } = d;

  async function resolve(args: SyncArgs | undefined, title: string): Promise<Project | undefined> {
    // A tree row (RowTreeItem: `projectId`, and an `id` that is the row's) or code's `{id}`.
    const id = projectIdOf(args) ?? model.focused;
    if (id) return session.store.project(id) ?? await session.api.project(id);
    return pickProject(session, {
      title, placeHolder: 'The project to sync', filter: (p) => p.repository !== null,
      none: 'no project has a repository: use "Hangar: Import from GitHub…"',
    });
  }

  async function statusOf(projectId: string): Promise<SyncStatus | undefined> {
    return model.status(projectId) ?? await d.refreshStatus(projectId);
  }

  function noRepository(project: Project): undefined {
    void notices.raise('info', 'info', project.id, `Hangar: "${project.name}" has no GitHub repository. Import one with "Hangar: Import from GitHub…".`);
    return undefined;
  }

  /** POSTs the operation, follows it in a progress notification, then waits for its sync.result. */
  async function run(project: Project, title: string, start: () => Promise<Operation>): Promise<SyncOutcome | undefined> {
    let accepted: Operation;
    try {
      accepted = await start();
    } catch (e) {
      const busy = operationInProgress(e);
      if (busy) {
        void notices.raise('failed', 'warning', project.id, `Hangar: "${project.name}" is busy: a ${busy.kind} is running. Try again when it has finished.`);
      } else if (e instanceof ApiError && e.code === 'not_imported') {
        // Nothing to fetch, pull or push against yet: the way forward is the import.
        void showError(`${title} "${project.name}" failed`, e, { 'Retry Import': () => vscode.commands.executeCommand('hangar.retryImport', { id: project.id }) });
      } else {
        void showError(`${title} "${project.name}" failed`, e);
      }
      return undefined;
    }
    d.ownOperations.add(accepted.id);
    log.info(`sync: operation ${accepted.id} (${accepted.kind}${accepted.force ? ', force' : ''}) accepted for ${project.id}`);
    const waiter = model.waitForResult(accepted.id);
    try {
      const final = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${title} "${project.name}"` },
        async (progress) => {
          let shown = '';
          const followed = d.tracker.follow(accepted, (op) => {
            const message = progressMessage(op);
            if (message !== shown) progress.report({ message });
            shown = message;
          });
          try {
            return await followed.done;
          } finally {
            followed.dispose();
          }
        });
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        waiter.done.then((r) => r.result),
        new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), RESULT_GRACE_MS); }),
      ]);
      clearTimeout(timer);
      log.info(`sync: operation ${final.id} ${final.state}${result ? `: ${result.ok ? 'ok' : 'not ok'}: ${result.message}` : ' (no sync.result)'}`);
      if (!model.status(project.id)?.available || !result) void d.refreshStatus(project.id);
      return { operation: { id: final.id, kind: final.kind, state: final.state, error: final.error }, result };
    } finally {
      waiter.dispose();
    }
  }

  /** The end of an operation, in words: a summary, the conflict notification, or what went wrong. */
  function report(project: Project, outcome: SyncOutcome, pull?: { mode: PullMode; dirty: DirtyChoice; onConflict: 'abort' | 'keep' }): void {
    const { result, operation } = outcome;
    if (result?.ok) {
      if (result.action === 'fetch') {
        const s = model.status(project.id);
        void vscode.window.setStatusBarMessage(`$(check) Hangar: fetched "${project.name}"${s ? ` (↑${s.ahead} ↓${s.behind})` : ''}`, 5000);
        return;
      }
      void notices.raise('summary', 'info', project.id, resultSummary(result, project.name, pull?.mode));
      return;
    }
    if (result && result.action === 'pull' && result.conflicted.length) {
      raiseConflict(project, result.conflicted, pull?.onConflict === 'keep', pull);
      return;
    }
    if (result && result.action === 'import') {
      reportImportFailure(notices, project, result);
      return;
    }
    if (result && result.action === 'push') {
      const text = /^Push refused\b/.test(result.message) ? result.message : `Push refused: ${result.message}`;
      void notices.raise('pushRefused', 'warning', project.id, `Hangar: "${project.name}": ${text}`, ['Pull', 'Force Push'] as const)
        .then((c) => {
          if (c === 'Pull') void vscode.commands.executeCommand('hangar.pull', { id: project.id });
          if (c === 'Force Push') void vscode.commands.executeCommand('hangar.forcePush', { id: project.id });
        });
      return;
    }
    if (result) {
      void notices.raise('failed', 'error', project.id, `Hangar: ${result.action} of "${project.name}" failed: ${result.message}`, ['Show Log'] as const)
        .then((c) => c && vscode.commands.executeCommand('hangar.showLog'));
      return;
    }
    if (operation.state === 'succeeded') {
      void vscode.window.setStatusBarMessage(`$(check) Hangar: ${operation.kind} of "${project.name}" done`, 5000);
      return;
    }
    void notices.raise('failed', 'error', project.id, `Hangar: ${operation.kind} of "${project.name}" ${operation.state}: ${operation.error ?? 'no reason given'}`, ['Show Log'] as const)
      .then((c) => c && vscode.commands.executeCommand('hangar.showLog'));
  }

  function raiseConflict(project: Project, files: string[], kept: boolean, pull?: { mode: PullMode; dirty: DirtyChoice }): void {
    const notice = conflictNotice(project.name, files, kept);
    void notices.raise('conflict', 'warning', project.id, notice.message, notice.items).then(async (choice) => {
      switch (choice) {
        case 'Force Push':
          await vscode.commands.executeCommand('hangar.forcePush', { id: project.id });
          return;
        case 'Pull and Merge':
          await vscode.commands.executeCommand('hangar.pull', { id: project.id, mode: pull?.mode ?? 'merge', dirty: pull?.dirty ?? 'commit', onConflict: 'keep' });
          return;
        case 'Open Conflicting Files':
          await openFiles(project, files);
          return;
        default:
          return;
      }
    });
  }

  async function openFiles(project: Project, files: string[]): Promise<OpenedFile[]> {
    try {
      return await openConflictingFiles(session, d.conflictSides, project, files, log);
    } catch (e) {
      // Not awaited: the command answers (and a notification waits for the user, or for nobody).
      log.warn(`sync: could not open the conflicting files of ${project.id}: ${e instanceof Error ? e.message : String(e)}`);
      void notices.raise('failed', 'error', project.id,
        `Hangar: could not open the conflicting files of "${project.name}": ${e instanceof Error ? e.message : String(e)}`, ['Show Log'] as const)
        .then((c) => c && vscode.commands.executeCommand('hangar.showLog'));
      return [];
    }
  }

  async function push(args: SyncArgs | undefined, force: boolean): Promise<SyncOutcome | undefined> {
    const project = await resolve(args, force ? 'Force Push' : 'Push');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    if (force && !(args && 'confirm' in args && (args as ForcePushArgs).confirm === true)) {
      const c = forcePushConfirmation(project.name, await statusOf(project.id));
      const button = 'Force Push';
      if ((await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, button)) !== button) return undefined;
    }
    const outcome = await run(project, force ? 'Force pushing' : 'Pushing', () => session.api.syncPush(project.id, force));
    if (outcome) report(project, outcome);
    return outcome;
  }

  async function pull(args: PullArgs | undefined): Promise<SyncOutcome | undefined> {
    const project = await resolve(args, 'Pull');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    const mode = args?.mode ?? await askPullMode();
    if (!mode) return undefined;
    const status = await statusOf(project.id);
    const dirty = args?.dirty ?? (status?.dirty.length ? await askDirty(status.dirty.length) : 'commit');
    if (!dirty) return undefined;
    const onConflict = args?.onConflict ?? 'abort';
    const outcome = await run(project, 'Pulling', () => session.api.syncPull(project.id, { mode, dirty, onConflict }));
    if (outcome) report(project, outcome, { mode, dirty, onConflict });
    return outcome;
  }

  async function retryImport(args: SyncArgs | undefined): Promise<SyncOutcome | undefined> {
    const project = await resolve(args, 'Retry Import');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    const outcome = await run(project, 'Importing the repository into', () => session.api.syncImport(project.id));
    if (outcome) report(project, outcome);
    return outcome;
  }

  async function fetch(args: SyncArgs | undefined): Promise<SyncOutcome | undefined> {
    const project = await resolve(args, 'Fetch');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    const outcome = await run(project, 'Fetching', () => session.api.syncFetch(project.id));
    if (outcome) report(project, outcome);
    return outcome;
  }

  async function showCommits(args: SyncArgs | undefined): Promise<unknown> {
    const project = await resolve(args, 'Show Commits');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    const status = await d.refreshStatus(project.id) ?? model.status(project.id);
    if (!status?.available) {
      void notices.raise('info', 'info', project.id, `Hangar: "${project.name}" cannot be synced yet: ${status?.message ?? 'the sync status is not available'}`);
      return undefined;
    }
    const items = commitPicks(status, Date.now()).map((p) => p.kind === 'separator'
      ? { label: p.label, kind: vscode.QuickPickItemKind.Separator }
      : { label: p.label, description: p.description, detail: p.detail, hash: p.hash });
    const picked = await vscode.window.showQuickPick(items, { title: `Commits of "${project.name}"`, placeHolder: 'Pick a commit to open it on GitHub (or copy its hash)', matchOnDescription: true });
    const hash = picked && 'hash' in picked ? picked.hash : undefined;
    if (!hash) return undefined;
    if (status.webUrl && status.commitsBehind.some((c) => c.hash === hash)) {
      await vscode.env.openExternal(vscode.Uri.parse(`${status.webUrl.replace(/\/+$/, '')}/commit/${hash}`, true));
    } else {
      await vscode.env.clipboard.writeText(hash);
      void vscode.window.setStatusBarMessage(`$(clippy) Hangar: copied ${hash.slice(0, 7)} (not on GitHub yet)`, 4000);
    }
    return hash;
  }

  async function openOnGithub(args: SyncArgs | undefined): Promise<string | undefined> {
    const project = await resolve(args, 'Open on GitHub');
    if (!project) return undefined;
    const status = await statusOf(project.id);
    const url = status?.webUrl;
    if (!url) {
      void notices.raise('info', 'info', project.id, `Hangar: "${project.name}" has no repository web page to open.`);
      return undefined;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
    return url;
  }

  async function openConflicts(args: SyncArgs | undefined): Promise<OpenedFile[] | undefined> {
    const project = await resolve(args, 'Open Conflicting Files');
    if (!project) return undefined;
    const status = await d.refreshStatus(project.id) ?? model.status(project.id);
    const files = status?.conflicted.length ? status.conflicted : lastConflicts(project.id);
    if (!files.length) {
      void notices.raise('info', 'info', project.id, `Hangar: "${project.name}" has no conflicting files.`);
      return [];
    }
    return openFiles(project, files);
  }

  /** The files of the last conflict notice of a project (the pull was aborted: the status lists none). */
  function lastConflicts(projectId: string): string[] {
    return conflictFiles.get(projectId) ?? [];
  }
  const conflictFiles = new Map<string, string[]>();
  model.onDidFinish((r) => {
    if (r.result.action === 'pull' && r.result.conflicted.length) conflictFiles.set(r.projectId, r.result.conflicted);
  });

  async function syncMenu(args: SyncArgs | undefined): Promise<unknown> {
    const project = await resolve(args, 'Sync');
    if (!project) return undefined;
    if (!project.repository) return noRepository(project);
    const status = await statusOf(project.id);
    const picked = await vscode.window.showQuickPick(syncMenuItems(status, Date.now()), {
      title: `Sync "${project.name}"${status?.branch ? ` (${status.branch})` : ''}`,
      placeHolder: status?.available ? `↑${status.ahead} ↓${status.behind} against ${status.upstream ?? 'no upstream'}` : 'Sync with GitHub',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    const command: Record<SyncAction, string> = {
      push: 'hangar.push', pull: 'hangar.pull', fetch: 'hangar.fetch', forcePush: 'hangar.forcePush',
      showCommits: 'hangar.showCommits', openConflicts: 'hangar.openConflicts', openOnGithub: 'hangar.openOnGithub', retryImport: 'hangar.retryImport',
    };
    return vscode.commands.executeCommand(command[picked.action], { id: project.id });
  }

  return {
    'hangar.push': (args) => push(args, false),
    'hangar.forcePush': (args) => push(args, true),
    'hangar.pull': pull,
    'hangar.fetch': fetch,
    'hangar.retryImport': retryImport,
    'hangar.showCommits': showCommits,
    'hangar.openOnGithub': openOnGithub,
    'hangar.openConflicts': openConflicts,
    'hangar.syncMenu': syncMenu,
  };
}

/** A failed import, however it started: the reason, Retry Import, and Set GitHub Token when it is about a token. */
export function reportImportFailure(notices: Notices, project: Pick<Project, 'id' | 'name'>, result: SyncResult): void {
  const notice = importFailedNotice(project.name, result);
  void notices.raise('failed', 'error', project.id, notice.message, notice.items).then(async (c) => {
    if (c === 'Retry Import') await vscode.commands.executeCommand('hangar.retryImport', { id: project.id });
    if (c === 'Show Log') await vscode.commands.executeCommand('hangar.showLog');
    if (c === 'Set GitHub Token') {
      const host = hostOfTokenMessage(result.message);
      if (await vscode.commands.executeCommand('hangar.setGithubToken', host ? { host } : undefined)) {
        await vscode.commands.executeCommand('hangar.retryImport', { id: project.id });
      }
    }
  });
}

async function askPullMode(): Promise<PullMode | undefined> {
  const setting = vscode.workspace.getConfiguration('hangar').get<string>('sync.pullMode');
  if (setting === 'merge' || setting === 'rebase') return setting;
  const picked = await vscode.window.showQuickPick([
    { label: 'Merge', description: 'a merge commit joins the upstream commits and the workspace\'s', mode: 'merge' as const },
    { label: 'Rebase', description: 'the workspace\'s commits are replayed on top of upstream', mode: 'rebase' as const },
  ], { title: 'Pull: merge or rebase?', placeHolder: 'Set "hangar.sync.pullMode" to stop asking' });
  return picked?.mode;
}

async function askDirty(files: number): Promise<DirtyChoice | undefined> {
  const setting = vscode.workspace.getConfiguration('hangar').get<string>('sync.dirtyChanges');
  if (setting === 'commit' || setting === 'stash') return setting;
  const picked = await vscode.window.showQuickPick([
    { label: 'Commit them', description: 'a "WIP" commit in the workspace before the pull', dirty: 'commit' as const },
    { label: 'Stash them', description: 'kept in git stash; restore with git stash pop', dirty: 'stash' as const },
  ], { title: `Pull: the workspace has uncommitted changes in ${files} file${files === 1 ? '' : 's'}`, placeHolder: 'They are never discarded. Set "hangar.sync.dirtyChanges" to stop asking' });
  return picked?.dirty;
}
