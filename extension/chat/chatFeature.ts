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
  return {
    id: 'chat',
    panels,
    mentionIndex,
    commands: { ...chatCommands(session, panels), ...mentionCommands.handlers() },
    disposables: [mentionIndex, mentionCommands, panels],
    restorePanel: (_viewType: string, panel: vscode.WebviewPanel, state: unknown) => panels.restore(panel, state),
  };
}
