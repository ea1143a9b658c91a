// The `hangar:` file system without vscode: hangar://<projectId>/<workspace-relative path> over the
// API's file routes, with errors sorted into the kinds VS Code's FileSystemError knows.
import type { WorkspaceChange, WorkspaceDirectory, WorkspaceFileContent, WorkspaceStat } from '../../backend/contract';
import { ApiError } from '../core/apiError';

export { HANGAR_SCHEME } from './agentFilesManifest';

/** The file routes of ApiClient this module uses (a fake in the unit tests). */
export interface FilesApi {
  fileStat(projectId: string, path: string): Promise<WorkspaceStat>;
  fileList(projectId: string, path: string): Promise<WorkspaceDirectory>;
  fileRead(projectId: string, path: string): Promise<WorkspaceFileContent>;
  fileWrite(projectId: string, body: { path: string; content: string; create: boolean; overwrite: boolean }): Promise<void>;
  fileMkdir(projectId: string, path: string): Promise<void>;
  fileDelete(projectId: string, path: string, recursive: boolean): Promise<void>;
  fileRename(projectId: string, from: string, to: string, overwrite: boolean): Promise<void>;
}

export type FsErrorKind = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable';

/** A failed file operation: the kind VS Code shows, and the API's message. */
export class WorkspaceFsError extends Error {
  constructor(readonly kind: FsErrorKind, message: string) {
    super(message);
    this.name = 'WorkspaceFsError';
  }
}

const KIND_BY_CODE: Record<string, FsErrorKind> = {
  file_not_found: 'FileNotFound', not_found: 'FileNotFound', no_workspace: 'Unavailable',
  file_exists: 'FileExists', not_a_directory: 'FileNotADirectory', is_a_directory: 'FileIsADirectory',
  outside_workspace: 'NoPermissions', symlink_refused: 'NoPermissions', permission_denied: 'NoPermissions',
  validation_failed: 'NoPermissions', not_empty: 'NoPermissions', not_a_file: 'NoPermissions', file_too_large: 'NoPermissions',
};

export function toFsError(e: unknown): WorkspaceFsError {
  if (e instanceof WorkspaceFsError) return e;
  if (e instanceof ApiError) return new WorkspaceFsError(KIND_BY_CODE[e.code] ?? 'Unavailable', e.message);
  return new WorkspaceFsError('Unavailable', e instanceof Error ? e.message : String(e));
}

/** hangar://<projectId>/<path> → its parts; the path has no leading slash ('' = the workspace). */
export function parseHangarUri(authority: string, uriPath: string): { projectId: string; path: string } {
  if (!authority) throw new WorkspaceFsError('FileNotFound', 'a hangar: URI names its project: hangar://<project id>/<path>');
  return { projectId: authority, path: uriPath.replace(/^\/+/, '').replace(/\/+$/, '') };
}

export type FileKind = 'file' | 'directory' | 'other';
export interface FileStat { type: FileKind; symlink: boolean; size: number; mtime: number; ctime: number; readonly: boolean }
export interface FileChange { projectId: string; path: string; type: WorkspaceChange['type'] }

export class WorkspaceFs {
  private readonly listeners = new Set<(changes: FileChange[]) => void>();

  constructor(private readonly api: () => FilesApi) {}

  async stat(projectId: string, path: string): Promise<FileStat> {
    const s = await this.call(() => this.api().fileStat(projectId, path));
    return { type: s.type, symlink: s.symlink, size: s.size, mtime: s.mtime, ctime: s.ctime, readonly: !s.writable };
  }

  async readDirectory(projectId: string, path: string): Promise<[string, FileKind, boolean][]> {
    const d = await this.call(() => this.api().fileList(projectId, path));
    return d.entries.map((e) => [e.name, e.type, e.symlink]);
  }

  async readFile(projectId: string, path: string): Promise<Uint8Array> {
    const f = await this.call(() => this.api().fileRead(projectId, path));
    return new Uint8Array(Buffer.from(f.content, 'base64'));
  }

  async writeFile(projectId: string, path: string, content: Uint8Array, opts: { create: boolean; overwrite: boolean }): Promise<void> {
    const body = { path, content: Buffer.from(content).toString('base64'), create: opts.create, overwrite: opts.overwrite };
    await this.call(() => this.api().fileWrite(projectId, body));
  }

  async createDirectory(projectId: string, path: string): Promise<void> {
    await this.call(() => this.api().fileMkdir(projectId, path));
  }

  async delete(projectId: string, path: string, opts: { recursive: boolean }): Promise<void> {
    await this.call(() => this.api().fileDelete(projectId, path, opts.recursive));
  }

  async rename(projectId: string, from: string, to: string, opts: { overwrite: boolean }): Promise<void> {
    await this.call(() => this.api().fileRename(projectId, from, to, opts.overwrite));
  }

  /** Changes the API reports (its `workspace.changed` events), whoever made them. */
  onDidChange(listener: (changes: FileChange[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Feeds one `workspace.changed` event in. */
  noteChanged(projectId: string, changes: readonly WorkspaceChange[]): void {
    const out = changes.map((c) => ({ projectId, path: c.path, type: c.type }));
    for (const l of this.listeners) l(out);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toFsError(e);
    }
  }
}
