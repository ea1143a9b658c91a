import * as vscode from 'vscode';
import { z } from 'zod';
import type { Project, SyncConflictFile } from '../../backend/contract';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';

/** Read-only documents with a file of a project's workspace, read through the agent proxy. */
export const REMOTE_SCHEME = 'hangar-remote';
/** The merge editor's documents of a conflict (base, ours, theirs read-only; the result saved through the API). */
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

type Side = 'base' | 'ours' | 'theirs' | 'result';
interface Entry { data: Uint8Array; mtime: number; projectId: string; file: string; side: Side }

/**
 * The merge editor's documents of the conflicts opened last, in memory: base, ours and theirs are
 * read-only; the result starts as the workspace's file (with its markers) and saving it sends the
 * resolution to the API, which writes it through git's index (the file is marked resolved).
 */
export class ConflictFiles implements vscode.FileSystemProvider {
  private readonly entries = new Map<string, Entry>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  /** Nothing changes these files behind an editor's back (a new open gets new URIs). */
  readonly onDidChangeFile = this.emitter.event;

  constructor(private readonly save: (projectId: string, file: string, content: string) => Promise<void>) {}

  put(projectId: string, side: Side, file: string, version: string, text: string | null): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CONFLICT_SCHEME, authority: projectId, path: `/${version}/${side}/${file.replace(/^\/+/, '')}` });
    this.entries.set(uri.toString(), { data: new TextEncoder().encode(text ?? ''), mtime: Date.now(), projectId, file, side });
    while (this.entries.size > 120) this.entries.delete(this.entries.keys().next().value!);
    return uri;
  }

  watch(): vscode.Disposable { return new vscode.Disposable(() => undefined); }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entry(uri);
    return { type: vscode.FileType.File, ctime: e.mtime, mtime: e.mtime, size: e.data.byteLength, ...(e.side === 'result' ? {} : { permissions: vscode.FilePermission.Readonly }) };
  }

  readFile(uri: vscode.Uri): Uint8Array { return this.entry(uri).data; }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const e = this.entry(uri);
    if (e.side !== 'result') throw vscode.FileSystemError.NoPermissions(uri);
    await this.save(e.projectId, e.file, new TextDecoder().decode(content));
    // The editor that saved already shows this content: no change event (it would read as a change on disk).
    e.data = content;
    e.mtime = Date.now();
  }

  readDirectory(): [string, vscode.FileType][] { return []; }
  createDirectory(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }
  delete(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }
  rename(uri: vscode.Uri): void { throw vscode.FileSystemError.NoPermissions(uri); }

  private entry(uri: vscode.Uri): Entry {
    const e = this.entries.get(uri.toString());
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return e;
  }
}

export interface OpenedFile { file: string; how: 'mergeEditor' | 'diff' }

/**
 * Opens each conflicting file in VS Code's merge editor with both sides and the base as the
 * workspace has them now (git's stages :1: :2: :3: during a kept merge; merge base, HEAD and
 * upstream after an aborted pull), the result being the workspace's file with its markers (saving it
 * marks the file resolved; read-only after an aborted pull: nothing is in conflict in the workspace).
 * Falls back to a diff of the two sides when the merge editor does not open.
 */
export async function openConflictingFiles(session: HangarSession, sides: ConflictFiles, project: Project, files: string[], log: Logger): Promise<OpenedFile[]> {
  const opened: OpenedFile[] = [];
  const remote = new RemoteFileProvider(session);
  for (const file of files.slice(0, 10)) {
    const c = await session.api.syncConflict(project.id, file);
    const version = `${Date.now().toString(36)}${opened.length}`;
    const base = sides.put(project.id, 'base', file, version, c.base);
    const ours = sides.put(project.id, 'ours', file, version, c.ours);
    const theirs = sides.put(project.id, 'theirs', file, version, c.theirs);
    // The working file, markers included, read through the agent (its sandbox, not the API's eyes).
    const working = await remote.provideTextDocumentContent(remoteUri(project.id, file)).catch(() => c.ours ?? '');
    const result = sides.put(project.id, c.source === 'stages' ? 'result' : 'base', file, `${version}r`, working);
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
