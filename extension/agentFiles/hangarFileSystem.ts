import * as vscode from 'vscode';
import { HANGAR_SCHEME, parseHangarUri, toFsError, type FileKind, type WorkspaceFs } from './workspaceFs';

/** hangar://<projectId>/<path> for a file of a project's workspace. */
export function hangarUri(projectId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HANGAR_SCHEME, authority: projectId, path: `/${path}` });
}

function fileType(kind: FileKind, symlink: boolean): vscode.FileType {
  const base = kind === 'file' ? vscode.FileType.File : kind === 'directory' ? vscode.FileType.Directory : vscode.FileType.Unknown;
  return symlink ? base | vscode.FileType.SymbolicLink : base;
}

function fsError(e: unknown, uri: vscode.Uri): vscode.FileSystemError {
  const err = toFsError(e);
  switch (err.kind) {
    case 'FileNotFound': return vscode.FileSystemError.FileNotFound(uri);
    case 'FileExists': return vscode.FileSystemError.FileExists(uri);
    case 'FileNotADirectory': return vscode.FileSystemError.FileNotADirectory(uri);
    case 'FileIsADirectory': return vscode.FileSystemError.FileIsADirectory(uri);
    case 'NoPermissions': return vscode.FileSystemError.NoPermissions(err.message);
    case 'Unavailable': return vscode.FileSystemError.Unavailable(err.message);
  }
}

/** The thin vscode face of WorkspaceFs: real editors (save, undo, diff) on a project's files. */
export class HangarFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly fs: WorkspaceFs) {
    const types = { created: vscode.FileChangeType.Created, changed: vscode.FileChangeType.Changed, deleted: vscode.FileChangeType.Deleted };
    this.subscription = fs.onDidChange((changes) => this.emitter.fire(changes.map((c) => ({ type: types[c.type], uri: hangarUri(c.projectId, c.path) }))));
  }

  // Changes come from the API's workspace.changed events for the whole workspace: nothing to set up per watch.
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try {
      const s = await this.fs.stat(projectId, path);
      return { type: fileType(s.type, s.symlink), size: s.size, mtime: s.mtime, ctime: s.ctime, ...(s.readonly ? { permissions: vscode.FilePermission.Readonly } : {}) };
    } catch (e) { throw fsError(e, uri); }
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try {
      return (await this.fs.readDirectory(projectId, path)).map(([name, kind, symlink]) => [name, fileType(kind, symlink)]);
    } catch (e) { throw fsError(e, uri); }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try { return await this.fs.readFile(projectId, path); } catch (e) { throw fsError(e, uri); }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try { await this.fs.writeFile(projectId, path, content, options); } catch (e) { throw fsError(e, uri); }
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try { await this.fs.createDirectory(projectId, path); } catch (e) { throw fsError(e, uri); }
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    const { projectId, path } = parseHangarUri(uri.authority, uri.path);
    try { await this.fs.delete(projectId, path, options); } catch (e) { throw fsError(e, uri); }
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = parseHangarUri(oldUri.authority, oldUri.path);
    const to = parseHangarUri(newUri.authority, newUri.path);
    if (from.projectId !== to.projectId) throw vscode.FileSystemError.NoPermissions('Files move only within one project\'s workspace.');
    try { await this.fs.rename(from.projectId, from.path, to.path, options); } catch (e) { throw fsError(e, oldUri); }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
