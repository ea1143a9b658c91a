// Read-only virtual documents (scheme `hangar-diff`) for the two sides of a changed file, and the
// command that shows them in VS Code's diff editor. Thin vscode adapter; the texts come from
// sessionDiff.ts.
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'hangar-diff';
/** Documents kept for the diff editors; the oldest go first (a reopened diff is rebuilt anyway). */
const KEEP = 200;

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private seq = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens `before` ⇄ `after` of `file` in the diff editor. */
  async open(projectId: string, diff: { file: string; before: string; after: string; title: string }): Promise<void> {
    const n = ++this.seq;
    // The file name stays last, so the editor picks the language from its extension.
    const uri = (side: string) =>
      vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${projectId}/${n}/${side}/${diff.file}` });
    const left = uri('before');
    const right = uri('after');
    this.put(left, diff.before);
    this.put(right, diff.after);
    await vscode.commands.executeCommand('vscode.diff', left, right, diff.title, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }

  private put(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    while (this.texts.size > KEEP) this.texts.delete(this.texts.keys().next().value as string);
    this.changed.fire(uri);
  }
}
