import type * as vscode from 'vscode';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import { chatCommands } from './chatCommands';
import type { CHAT_COMMANDS } from './chatManifest';
import { ChatPanels } from './chatPanel';
import { MentionCommands } from './mentions/mentionCommands';
import { WorkspaceFileIndex } from './mentions/workspaceFiles';

/** A chat panel per project, and the @mention index of the workspace behind its composer. */
export interface ChatFeature extends Feature<(typeof CHAT_COMMANDS)[number]> {
  readonly id: 'chat';
  readonly panels: ChatPanels;
  readonly mentionIndex: WorkspaceFileIndex;
}

export function createChatFeature({ session, log, context, offline }: FeatureCore): ChatFeature {
  // The workspace's file index is built when the first chat opens, not here.
  const mentionIndex = new WorkspaceFileIndex(log);
  const panels = new ChatPanels({
    session, extensionUri: context.extensionUri, log, workspaceState: context.workspaceState, mentions: mentionIndex, offline,
  });
  const mentionCommands = new MentionCommands(session, panels, mentionIndex);
  // Issue #14: prompts waiting for a project deleted while offline fail with the reason, not retried forever.
  const gaps = session.gaps.onDidFind((conflicts) => {
    for (const c of conflicts) {
      if (c.kind !== 'deleted') continue;
      const why = `Not sent: "${c.project.name}" was deleted on the server while Hangar was offline.`;
      panels.panels.get(c.project.id)?.controller.queue.abandon(why);
    }
  });
  return {
    id: 'chat',
    panels,
    mentionIndex,
    commands: { ...chatCommands(session, panels), ...mentionCommands.handlers() },
    disposables: [mentionIndex, mentionCommands, panels, gaps],
    restorePanel: (_viewType: string, panel: vscode.WebviewPanel, state: unknown) => panels.restore(panel, state),
  };
}
