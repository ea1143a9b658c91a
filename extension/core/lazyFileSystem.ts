import * as vscode from 'vscode';

/**
 * The file system provider a scheme gets at activation (an editor restored with the window may read a
 * file before anything else runs): the first call loads the feature that owns the scheme, and every
 * call is forwarded to that feature's real provider from then on.
 */
export class LazyFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private target: Promise<vscode.FileSystemProvider> | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private forwarding: vscode.Disposable | undefined;
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly loadOwner: () => Promise<vscode.FileSystemProvider>) {}

  private provider(): Promise<vscode.FileSystemProvider> {
    if (!this.target) {
      const loading = this.loadOwner().then((p) => {
        this.forwarding = p.onDidChangeFile((e) => this.changed.fire(e));
        return p;
      });
      this.target = loading;
      // A failed load is tried again by the next call.
      loading.catch(() => { if (this.target === loading) this.target = undefined; });
    }
    return this.target;
  }

  /** Watching starts once the provider has loaded; disposing before that cancels it. */
  watch(uri: vscode.Uri, options: Parameters<vscode.FileSystemProvider['watch']>[1]): vscode.Disposable {
    let watching: vscode.Disposable | undefined;
    let disposed = false;
    this.provider().then((p) => { if (!disposed) watching = p.watch(uri, options); }, () => undefined);
    return new vscode.Disposable(() => {
      disposed = true;
      watching?.dispose();
    });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return (await this.provider()).stat(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return (await this.provider()).readDirectory(uri);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    return (await this.provider()).createDirectory(uri);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.provider()).readFile(uri);
  }

  async writeFile(
    uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean },
  ): Promise<void> {
    return (await this.provider()).writeFile(uri, content, options);
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    return (await this.provider()).delete(uri, options);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    return (await this.provider()).rename(oldUri, newUri, options);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
