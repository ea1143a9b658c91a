// What one project's chat needs from VS Code (the panel implements it) and the options it opens with.
import type { ChatHostToWebview, Mention, MentionResult } from '../../webviews/protocol/chat';
import type { OcPromptPart } from './mentions/filePart';
import type { PersistedChat } from './chatPersistence';
import type { TranscriptCache } from './chatOfflineCopy';

/** What the controller needs from VS Code. */
export interface ChatHostPort {
  post(message: ChatHostToWebview): void;
  /** A modal "Open this external URL?"; true to open. */
  confirmExternal(url: string): Promise<boolean>;
  openExternal(url: string): Promise<boolean>;
  copy(text: string): Promise<void>;
  /** Desktop-tier projects: runs "Hangar: Open Desktop" (the chat's button). */
  openDesktop?(): Promise<void>;
  /** Keeps the session, drafts, queue and choices across window reloads. */
  persist?(state: PersistedChat): void;
  /** Starts (or deploys) the stopped project and resolves once it runs; rejects with a sentence (failed, cancelled). */
  startProject?(signal: AbortSignal): Promise<void>;
  /** "Redeploy" on the needs-redeploy notice: deploys the project again (with the usual confirmation). */
  redeployProject?(): Promise<void>;
  /** Shows one changed file in VS Code's diff editor. */
  openDiff?(diff: { file: string; before: string; after: string; title: string }): Promise<void>;
  /**
   * @mentions (extension/chat/mentions): answers a picker query; `post` may be called twice
   * (workspace, then merged with the container's files).
   */
  mentionQuery?(seq: number, query: string, post: (items: MentionResult[]) => void): Promise<void>;
  /** @mentions: the opencode parts (file references or inline content) that carry a prompt's mentions. */
  mentionParts?(sessionId: string, mentions: Mention[]): Promise<OcPromptPart[]>;
}

export interface ChatControllerOptions {
  /** what the last window kept (chatPersistence.ts) */
  persisted?: PersistedChat;
  /** open this session (hangar.openSession) instead of the last one */
  sessionId?: string;
  now?: () => number;
  /** the project's transcripts in the offline store: shown read-only while the agent cannot be reached */
  cache?: TranscriptCache;
}
