// Plugs @mentions into one chat panel's controller: the two ChatHostPort members (picker queries,
// prompt parts) over a ProjectMentions for the panel's project. Without a workspace index (no
// folder open) the picker still lists the container's files.
import type { Mention, MentionResult } from '../../../webviews/protocol/chat';
import type { Logger } from '../../core/ports';
import type { OcPromptPart } from './filePart';
import { containerFiles, ProjectMentions, type WorkspaceFiles } from './projectMentions';

type AgentClient = Parameters<typeof containerFiles>[0];

export interface ChatMentionPort {
  mentionQuery(seq: number, query: string, post: (items: MentionResult[]) => void): Promise<void>;
  mentionParts(sessionId: string, mentions: Mention[]): Promise<OcPromptPart[]>;
}

/** No workspace folder: nothing local, nothing to read. */
const NO_WORKSPACE: WorkspaceFiles = {
  ready: () => Promise.resolve(),
  query: () => [],
  has: () => false,
  read: () => Promise.reject(new Error('no workspace folder is open')),
  remotes: () => Promise.resolve([]),
};

export function chatMentions(
  workspace: (WorkspaceFiles & { warm(): void }) | undefined,
  client: AgentClient,
  projectId: string,
  repositoryUrl: () => string | null | undefined,
  log: Logger,
): { port: ChatMentionPort; dispose(): void } {
  workspace?.warm();
  const mentions = new ProjectMentions(workspace ?? NO_WORKSPACE, containerFiles(client, projectId, repositoryUrl), {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout> | undefined),
    now: () => Date.now(),
  }, log);
  return {
    port: {
      mentionQuery: (seq, query, post) => mentions.query(seq, query, post),
      mentionParts: (sessionId, list) => mentions.parts(sessionId, list),
    },
    dispose: () => mentions.dispose(),
  };
}

