import * as vscode from 'vscode';
import type { SyncArgs } from '../core/commandIds';
import type { OpenedFile } from './remoteFiles';
import { noRepository, resolveProject, statusOf, type SyncContext } from './syncContext';
import { commitPicks, syncMenuItems, type SyncAction } from './syncPicks';
import { openFiles } from './syncReport';

/** The commits ahead and behind in a quick pick; the picked one opens on GitHub (or its hash is copied). */
export async function showCommits(c: SyncContext, args: SyncArgs | undefined): Promise<unknown> {
  const project = await resolveProject(c, args, 'Show Commits');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  const status = await c.refreshStatus(project.id) ?? c.model.status(project.id);
  if (!status?.available) {
    void c.notices.raise('info', 'info', project.id,
      `Hangar: "${project.name}" cannot be synced yet: ${status?.message ?? 'the sync status is not available'}`);
    return undefined;
  }
  const items = commitPicks(status, Date.now()).map((p) => p.kind === 'separator'
    ? { label: p.label, kind: vscode.QuickPickItemKind.Separator }
    : { label: p.label, description: p.description, detail: p.detail, hash: p.hash });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Commits of "${project.name}"`, placeHolder: 'Pick a commit to open it on GitHub (or copy its hash)',
    matchOnDescription: true,
  });
  const hash = picked && 'hash' in picked ? picked.hash : undefined;
  if (!hash) return undefined;
  if (status.webUrl && status.commitsBehind.some((commit) => commit.hash === hash)) {
    await vscode.env.openExternal(vscode.Uri.parse(`${status.webUrl.replace(/\/+$/, '')}/commit/${hash}`, true));
  } else {
    await vscode.env.clipboard.writeText(hash);
    void vscode.window.setStatusBarMessage(`$(clippy) Hangar: copied ${hash.slice(0, 7)} (not on GitHub yet)`, 4000);
  }
  return hash;
}

export async function openOnGithub(c: SyncContext, args: SyncArgs | undefined): Promise<string | undefined> {
  const project = await resolveProject(c, args, 'Open on GitHub');
  if (!project) return undefined;
  const url = (await statusOf(c, project.id))?.webUrl;
  if (!url) {
    void c.notices.raise('info', 'info', project.id, `Hangar: "${project.name}" has no repository web page to open.`);
    return undefined;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
  return url;
}

/** The conflicting files in the merge editor: the status's, or those of the last conflict notice. */
export async function openConflicts(c: SyncContext, args: SyncArgs | undefined): Promise<OpenedFile[] | undefined> {
  const project = await resolveProject(c, args, 'Open Conflicting Files');
  if (!project) return undefined;
  const status = await c.refreshStatus(project.id) ?? c.model.status(project.id);
  const files = status?.conflicted.length ? status.conflicted : c.lastConflicts.get(project.id) ?? [];
  if (!files.length) {
    void c.notices.raise('info', 'info', project.id, `Hangar: "${project.name}" has no conflicting files.`);
    return [];
  }
  return openFiles(c, project, files);
}

const MENU_COMMANDS: Record<SyncAction, string> = {
  push: 'hangar.push', pull: 'hangar.pull', fetch: 'hangar.fetch', forcePush: 'hangar.forcePush',
  showCommits: 'hangar.showCommits', openConflicts: 'hangar.openConflicts', openOnGithub: 'hangar.openOnGithub',
  retryImport: 'hangar.retryImport',
};

/** The status bar's click: every sync action that makes sense for the project now. */
export async function syncMenu(c: SyncContext, args: SyncArgs | undefined): Promise<unknown> {
  const project = await resolveProject(c, args, 'Sync');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  const status = await statusOf(c, project.id);
  const picked = await vscode.window.showQuickPick(syncMenuItems(status, Date.now()), {
    title: `Sync "${project.name}"${status?.branch ? ` (${status.branch})` : ''}`,
    placeHolder: status?.available
      ? `↑${status.ahead} ↓${status.behind} against ${status.upstream ?? 'no upstream'}`
      : 'Sync with GitHub',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return vscode.commands.executeCommand(MENU_COMMANDS[picked.action], { id: project.id });
}
