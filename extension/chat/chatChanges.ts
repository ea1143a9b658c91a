// The "Changes" list of a chat session, without vscode: the files the session changed (opencode's
// /session/:id/diff, or the workspace's git changes when it recorded none) and opening one of them
// in VS Code's diff editor, its text before the session rebuilt from the patch.
import type { ChatHostToWebview } from '../../webviews/protocol/chat';
import type { ChatApi } from './chatApi';
import { errorText } from './chatTranscript';
import { changedFileView, diffSides, type FileDiff } from './sessionDiff';

export interface ChatChangesDeps {
  api: Pick<ChatApi, 'sessionDiff' | 'workspaceDiff' | 'fileContent'>;
  post(message: ChatHostToWebview): void;
  /** Shows one changed file in VS Code's diff editor (absent: this window cannot). */
  openDiff?(diff: { file: string; before: string; after: string; title: string }): Promise<void>;
}

export class ChatChanges {
  /** the last diff read per session, for opening its files */
  private readonly diffs = new Map<string, FileDiff[]>();

  constructor(private readonly deps: ChatChangesDeps) {}

  async load(sessionId: string): Promise<void> {
    const { api, post } = this.deps;
    try {
      let files = await api.sessionDiff(sessionId);
      let source: 'session' | 'workspace' = 'session';
      if (files.length === 0) {
        // opencode records a session's diff only with its snapshots; without them, the workspace's git changes.
        files = await api.workspaceDiff().catch(() => []);
        source = 'workspace';
      }
      this.diffs.set(sessionId, files);
      post({ type: 'chat.changes', sessionId, files: files.map(changedFileView), source });
    } catch (e) {
      const error = `Could not read the changes: ${errorText(e)}`;
      post({ type: 'chat.changes', sessionId, files: [], source: 'session', error });
      throw e;
    }
  }

  async open(sessionId: string, file: string): Promise<void> {
    if (!this.diffs.has(sessionId)) await this.load(sessionId);
    const d = this.diffs.get(sessionId)?.find((x) => x.file === file);
    if (!d) throw new Error(`${file} is not among the session's changes any more.`);
    if (!this.deps.openDiff) throw new Error('This window cannot show diffs.');
    const current = d.status === 'deleted' ? undefined : await this.deps.api.fileContent(d.file).catch(() => undefined);
    const sides = diffSides(d, current);
    const whole = d.status === 'added' || d.status === 'deleted' ? d.status : undefined;
    const label = whole ?? (sides.partial ? 'changed parts' : 'session changes');
    await this.deps.openDiff({ file: d.file, before: sides.before, after: sides.after, title: `${d.file} (${label})` });
  }
}
