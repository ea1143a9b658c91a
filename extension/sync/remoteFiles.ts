import * as vscode from 'vscode';
import { z } from 'zod';
import type { Project, SyncConflictFile } from '../../backend/contract';
import type { HangarSession } from '../hangarSession';
import type { Logger } from '../ports';

/** Read-only documents with a file of a project's workspace, read through the agent proxy. */
export const REMOTE_SCHEME = 'hangar-remote';
/** Read-only documents with one side of a conflict (base, ours, theirs), as the API read them. */
export const CONFLICT_SCHEME = 'hangar-conflict';

/**
 * hangar-remote://<projectId>/<workspace-relative path>; `version` makes a fresh document (VS Code
 * keeps a content provider's document per URI: without it a second open shows the first read).
 */
export function remoteUri(projectId: string, file: string, version?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, authority: projectId, path: `/${file.replace(/^\/+/, '')}`, ...(version ? { query: `v=${version}` } : {}) });
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

/** The sides of the conflicts opened last (a bounded number of versions). */
export class ConflictSides implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();

  put(projectId: string, side: 'base' | 'ours' | 'theirs', file: string, version: string, text: string | null): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CONFLICT_SCHEME, authority: projectId, path: `/${side}/${file.replace(/^\/+/, '')}`, query: `v=${version}` });
    this.contents.set(uri.toString(), text ?? '');
    while (this.contents.size > 90) this.contents.delete(this.contents.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(this side is no longer available: open the conflicting files again)';
  }
}

export interface OpenedFile { file: string; how: 'mergeEditor' | 'diff' }

/**
 * Opens each conflicting file in VS Code's merge editor with both sides and the base as the
 * workspace has them now (git's stages :1: :2: :3: during a kept merge; merge base, HEAD and
 * upstream after an aborted pull), the result being the workspace's file with its markers. Falls
 * back to a diff of the two sides when the merge editor does not open.
 */
export async function openConflictingFiles(session: HangarSession, sides: ConflictSides, project: Project, files: string[], log: Logger): Promise<OpenedFile[]> {
  const opened: OpenedFile[] = [];
  for (const file of files.slice(0, 10)) {
    const c = await session.api.syncConflict(project.id, file);
    const version = `${Date.now().toString(36)}${opened.length}`;
    const base = sides.put(project.id, 'base', file, version, c.base);
    const ours = sides.put(project.id, 'ours', file, version, c.ours);
    const theirs = sides.put(project.id, 'theirs', file, version, c.theirs);
    const result = remoteUri(project.id, file, version);
    if (await openInMergeEditor(c, { base, ours, theirs, result }, project, log)) {
      opened.push({ file, how: 'mergeEditor' });
      continue;
    }
    await vscode.commands.executeCommand('vscode.diff', ours, theirs, `${file}: ${c.oursLabel} ↔ ${c.theirsLabel} (${project.name})`, { preview: false });
    opened.push({ file, how: 'diff' });
  }
  return opened;
}

async function openInMergeEditor(c: SyncConflictFile, uris: Record<'base' | 'ours' | 'theirs' | 'result', vscode.Uri>, project: Project, log: Logger): Promise<boolean> {
  const where = c.source === 'stages' ? `the ${c.inProgress ?? 'merge'} in progress in "${project.name}"` : `"${project.name}" (the pull was aborted)`;
  try {
    // `_open.mergeEditor` is the workbench's own command behind git's "Open in Merge Editor" (internal, no types).
    await vscode.commands.executeCommand('_open.mergeEditor', {
      base: uris.base,
      input1: { uri: uris.ours, title: c.oursLabel, description: 'ours', detail: where },
      input2: { uri: uris.theirs, title: c.theirsLabel, description: 'theirs', detail: where },
      output: uris.result,
    });
  } catch (e) {
    log.warn(`sync: the merge editor did not open for ${c.path}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  // A merge editor tab's input has base, input1, input2 and result (TabInputTextMerge; not in this @types/vscode).
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { base?: unknown; result?: unknown } | undefined;
  return input?.base instanceof vscode.Uri && input.result instanceof vscode.Uri && input.result.toString() === uris.result.toString();
}
