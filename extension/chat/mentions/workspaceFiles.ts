// The workspace side of @mentions (thin vscode adapter): builds the FileIndex with
// workspace.findFiles (which applies files.exclude) off the activation path, on the first chat
// that needs it; drops what .gitignore ignores (when search.useIgnoreFiles is on); keeps the index
// current with one FileSystemWatcher; ranks open editors a little higher.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { excludeMatcher } from './excludes';
import { FileIndex, type IndexHit } from './fileIndex';
import { GitignoreMatcher } from './gitignore';
import { parseRemoteUrls } from './repoIdentity';
import type { WorkspaceFiles } from './projectMentions';

/** More files than this are left out of the index (and the log says so). */
const MAX_FILES = 1_000_000;
/** Files larger than this are never read for inline content. */
const MAX_READ_BYTES = 20 * 1024 * 1024;
const REBUILD_DEBOUNCE_MS = 500;
/**
 * The watcher is the fast path (a new file is found within a second); this is the backstop for an
 * event it never delivers (seen once in CI under load): a query made this long after the last scan
 * starts a fresh scan in the background, without making that query wait.
 */
const RESCAN_AFTER_MS = 10_000;

export class WorkspaceFileIndex implements WorkspaceFiles, vscode.Disposable {
  private readonly index = new FileIndex();
  private building: Promise<void> | undefined;
  private ignore = new Map<string, GitignoreMatcher>();
  private excluded: (path: string) => boolean = () => false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private watching = false;
  private rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private remoteUrls: Promise<string[]> | undefined;
  private disposed = false;
  private lastScanAt = 0;
  private rescanning = false;
  /** ms the last build took, and how many files it found (for the log and the probe). */
  lastBuild: { ms: number; files: number } | undefined;
  /** watcher events seen (create, delete), for the probe */
  events = 0;

  constructor(private readonly log: Logger) {}

  /** Starts building in the background (a chat opened); queries wait for it. */
  warm(): void {
    void this.ready().catch(() => undefined);
  }

  ready(): Promise<void> {
    this.building ??= this.build().catch((e: unknown) => {
      this.building = undefined;
      throw e;
    });
    return this.building;
  }

  get size(): number { return this.index.size; }

  query(q: string, limit: number): IndexHit[] {
    if (this.lastBuild && !this.rescanning && performance.now() - this.lastScanAt > RESCAN_AFTER_MS) this.rescan();
    return this.index.query(q, limit);
  }

  /** A background scan the current index keeps answering through (see RESCAN_AFTER_MS). */
  private rescan(): void {
    this.rescanning = true;
    this.build()
      .catch((e: unknown) => this.log.warn(
        `mentions: re-scanning the workspace failed: ${e instanceof Error ? e.message : String(e)}`,
      ))
      .finally(() => { this.rescanning = false; });
  }

  has(path: string): boolean { return this.index.has(path); }

  async read(path: string): Promise<Uint8Array> {
    const uri = this.uriOf(path);
    if (!uri) throw new Error(`${path} is not in the workspace`);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_READ_BYTES) {
      // Only the head is ever sent inline: read that much, not the whole file.
      return new TextEncoder().encode(`[the file has ${Math.round(stat.size / 1024 / 1024)} MB; too large to attach]`);
    }
    return vscode.workspace.fs.readFile(uri);
  }

  remotes(): Promise<string[]> {
    this.remoteUrls ??= Promise.all((vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => gitRemotes(f.uri.fsPath))).then((all) => all.flat());
    return this.remoteUrls;
  }

  /** The path as shown in the picker and sent as the mention (workspace-relative; multi-root: `folder/...`). */
  relativePath(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const rel = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    return rel === uri.fsPath || rel === uri.toString() ? undefined : rel.replace(/\\/g, '/');
  }

  uriOf(path: string): vscode.Uri | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return undefined;
    if (folders.length === 1) return vscode.Uri.joinPath(folders[0]!.uri, ...path.split('/'));
    const slash = path.indexOf('/');
    const folder = folders.find((f) => f.name === path.slice(0, slash));
    return folder ? vscode.Uri.joinPath(folder.uri, ...path.slice(slash + 1).split('/')) : undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.rebuildTimer);
    for (const d of this.subscriptions) d.dispose();
  }

  private async build(): Promise<void> {
    const started = performance.now();
    this.lastScanAt = started;
    await this.loadFilters();
    const uris = await vscode.workspace.findFiles('**/*', undefined, MAX_FILES);
    const paths: string[] = [];
    for (const uri of uris) {
      const rel = this.relativePath(uri);
      if (rel && !this.isIgnored(uri)) paths.push(rel);
    }
    if (this.disposed) return;
    this.index.replaceAll(paths);
    this.updateBoost();
    this.watch();
    this.lastBuild = { ms: Math.round(performance.now() - started), files: this.index.size };
    const capped = uris.length >= MAX_FILES ? ` (capped at ${MAX_FILES})` : '';
    this.log.info(`mentions: indexed ${this.index.size} workspace files in ${this.lastBuild.ms} ms${capped}`);
  }

  private async loadFilters(): Promise<void> {
    const exclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude');
    this.excluded = excludeMatcher(exclude ?? {});
    this.ignore = new Map();
    if (!vscode.workspace.getConfiguration('search').get<boolean>('useIgnoreFiles', true)) return;
    for (const uri of await vscode.workspace.findFiles('**/.gitignore')) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const inFolder = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
      const base = inFolder.includes('/') ? inFolder.slice(0, inFolder.lastIndexOf('/')) : '';
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        let m = this.ignore.get(folder.uri.toString());
        if (!m) { m = new GitignoreMatcher(); this.ignore.set(folder.uri.toString(), m); }
        m.add(base, text);
      } catch (e) {
        this.log.debug(`mentions: could not read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** .gitignore of the file's workspace folder (paths inside that folder). */
  private isIgnored(uri: vscode.Uri, isDir = false): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return true;
    const inFolder = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
    if (inFolder === '.git' || inFolder.startsWith('.git/')) return true;
    const m = this.ignore.get(folder.uri.toString());
    return m?.ignores(inFolder, isDir) ?? false;
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void this.onCreate(uri)),
      watcher.onDidDelete((uri) => this.onDelete(uri)),
      watcher.onDidChange((uri) => { if (uri.path.endsWith('/.gitignore')) this.scheduleRebuild(); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.useIgnoreFiles')) {
          this.scheduleRebuild();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => { this.remoteUrls = undefined; this.scheduleRebuild(); }),
      vscode.window.tabGroups.onDidChangeTabs(() => this.updateBoost()),
      // File operations done in VS Code itself (Explorer, refactorings) also arrive here, whatever the
      // file watcher's state (it can fall behind on a busy machine or be limited by the OS).
      vscode.workspace.onDidCreateFiles((e) => { for (const f of e.files) void this.onCreate(f); }),
      vscode.workspace.onDidDeleteFiles((e) => { for (const f of e.files) this.onDelete(f); }),
      vscode.workspace.onDidRenameFiles((e) => {
        for (const f of e.files) {
          this.onDelete(f.oldUri);
          void this.onCreate(f.newUri);
        }
      }),
    );
  }

  private async onCreate(uri: vscode.Uri): Promise<void> {
    this.events++;
    const rel = this.relativePath(uri);
    if (!rel) return;
    if (uri.path.endsWith('/.gitignore')) this.scheduleRebuild();
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return; // gone again
    }
    const isDir = (stat.type & vscode.FileType.Directory) !== 0;
    if (this.excluded(rel) || this.isIgnored(uri, isDir)) return;
    if (!isDir) {
      this.index.add(rel);
      return;
    }
    // A folder appeared (moved in, unpacked): its files may not each get an event.
    for (const f of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'))) {
      const r = this.relativePath(f);
      if (r && !this.excluded(r) && !this.isIgnored(f)) this.index.add(r);
    }
  }

  private onDelete(uri: vscode.Uri): void {
    this.events++;
    const rel = this.relativePath(uri);
    if (!rel) return;
    this.index.remove(rel);
    this.index.removeUnder(rel);
    if (uri.path.endsWith('/.gitignore')) this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      if (this.disposed) return;
      this.building = this.build().catch((e: unknown) => {
        this.log.warn(`mentions: re-indexing failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    }, REBUILD_DEBOUNCE_MS);
  }

  private updateBoost(): void {
    const open: string[] = [];
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputTextDiff) {
          const uri = input instanceof vscode.TabInputText ? input.uri : input.modified;
          const rel = this.relativePath(uri);
          if (rel) open.push(rel);
        }
      }
    }
    this.index.setBoost(open);
  }
}

/** The remote URLs of the git repository at `cwd` (none when it is not one or git is missing). */
function gitRemotes(cwd: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get-regexp', '^remote\\..*\\.url$'], { cwd, timeout: 5000 }, (err, stdout) => {
      resolve(err ? [] : parseRemoteUrls(stdout));
    });
  });
}
