import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Project } from '../../backend/contract';
import type { HangarSession } from '../hangarSession';
import type { Logger } from '../ports';
import { conflictedInPorcelain, sameRepository } from './repoMatch';

/** Read-only documents with a file of a project's workspace, read through the agent proxy. */
export const REMOTE_SCHEME = 'hangar-remote';

/** hangar-remote://<projectId>/<workspace-relative path> */
export function remoteUri(projectId: string, file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, authority: projectId, path: `/${file.replace(/^\/+/, '')}` });
}

/** opencode's GET /file/content: text, or base64 for binary files. */
const FileContent = z.object({ content: z.string(), encoding: z.string().optional() }).passthrough();

export class RemoteFileProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: HangarSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = uri.path.replace(/^\/+/, '');
    const body = await this.session.api.agent(uri.authority, 'GET', `/file/content?path=${encodeURIComponent(file)}`, FileContent);
    if (body.encoding === 'base64') return `(binary file, ${Math.round(body.content.length * 0.75)} bytes: open it from the workspace)`;
    return body.content;
  }
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // argv array, no shell; the only user-controlled value (a file path) comes after `--`.
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/** The workspace folder that is a clone of the repository (its `origin` names the same repository). */
export async function localClone(repositoryUrl: string, log: Logger): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    try {
      const origin = (await git(folder.uri.fsPath, ['remote', 'get-url', 'origin'])).trim();
      if (sameRepository(origin, repositoryUrl)) return folder.uri;
    } catch (e) {
      log.debug(`sync: ${folder.uri.fsPath} has no origin remote (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    }
  }
  return undefined;
}

export interface OpenedFile { file: string; how: 'container' | 'mergeEditor' | 'diff' }

/**
 * Opens the conflicting files: in the local clone's merge editor when this VS Code has a clone of the
 * same repository with the file in conflict, as a diff (container ↔ local clone) when the clone has
 * the file, otherwise read-only from the container.
 */
export async function openConflictingFiles(project: Project, files: string[], log: Logger): Promise<OpenedFile[]> {
  const clone = project.repository ? await localClone(project.repository.url, log) : undefined;
  let localConflicts: string[] = [];
  if (clone) {
    try {
      localConflicts = conflictedInPorcelain(await git(clone.fsPath, ['status', '--porcelain=v1', '-z', '--', ...files]));
    } catch (e) {
      log.warn(`sync: could not read the local clone's status: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const opened: OpenedFile[] = [];
  for (const file of files.slice(0, 10)) {
    const remote = remoteUri(project.id, file);
    if (clone && localConflicts.includes(file) && (await openInMergeEditor(clone, vscode.Uri.joinPath(clone, file), log))) {
      opened.push({ file, how: 'mergeEditor' });
      continue;
    }
    if (clone && (await exists(vscode.Uri.joinPath(clone, file)))) {
      await vscode.commands.executeCommand('vscode.diff', remote, vscode.Uri.joinPath(clone, file), `${file} (${project.name} ↔ local clone)`, { preview: false });
      opened.push({ file, how: 'diff' });
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(remote);
    await vscode.window.showTextDocument(doc, { preview: false });
    opened.push({ file, how: 'container' });
  }
  return opened;
}

/** The built-in git extension's API, as much of it as this needs. */
interface GitApi { openRepository?(root: vscode.Uri): Promise<unknown> }

/**
 * VS Code's merge editor on a file in conflict in the local clone (through the built-in git
 * extension, which must know the repository). False when it did not open (no git extension, say).
 */
async function openInMergeEditor(clone: vscode.Uri, file: vscode.Uri, log: Logger): Promise<boolean> {
  try {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    const git = ext ? (await ext.activate()).getAPI(1) : undefined;
    await git?.openRepository?.(clone);
    await vscode.commands.executeCommand('git.openMergeEditor', file);
  } catch (e) {
    log.warn(`sync: the merge editor did not open for ${file.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  // A merge editor tab's input has base, input1, input2 and result (TabInputTextMerge; not in this @types/vscode).
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { base?: unknown; result?: unknown } | undefined;
  return input?.base instanceof vscode.Uri && input.result instanceof vscode.Uri && input.result.toString() === file.toString();
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
