// hangar.internal.chat: a chat panel's probe; with `inject`, a webview request run through its host;
// `dropStreamMs` cuts its event stream as a network failure would; `reload` brings it back the way a
// window reload does (through the serializer).
import * as vscode from 'vscode';
import { dispatch } from '../../../webviews/protocol/common';
import { ChatWebviewToHost, type ChatHostToWebview } from '../../../webviews/protocol/chat';
import type { ChatFeature } from '../../../extension/chat/chatFeature';
import type { ChatPanel } from '../../../extension/chat/chatPanel';
import { CHAT_VIEW_TYPE } from '../../../extension/chat/chatPanel';
import { panelOptions } from '../../../extension/core/webview/panelHost';
import { PostedMessages } from './postedMessages';

export interface ChatPanelProbe {
  title: string;
  ready: boolean;
  readyCount: number;
  activeSessionId: string | null;
  stream: string;
  /** The messages posted to a ready webview (the most recent POSTED_LIMIT). */
  posted: ChatHostToWebview[];
  /** the @mention workspace index: files indexed and the last build */
  mentionIndex?: { files: number; lastBuild: { ms: number; files: number } | undefined; events: number };
}

export interface ChatInternalArgs { projectId: string; inject?: unknown; reload?: boolean; dropStreamMs?: number }

type Answer = ChatPanelProbe | { ok: boolean; error?: string } | undefined;

/** Starts recording what each chat panel posts; call it when the chat feature loads (before its first panel). */
export function chatHooks(extensionUri: vscode.Uri): {
  loaded: (chat: ChatFeature) => void;
  command: (chat: ChatFeature, args: ChatInternalArgs) => Promise<Answer>;
} {
  const posted = new PostedMessages<ChatHostToWebview>();
  const loaded = (chat: ChatFeature): void => {
    // Its listeners go with the feature's panels (PanelsByProject.dispose).
    chat.panels.panels.onDidOpen((_id, panel) => posted.tap(panel.host.channel));
  };

  const probe = ({ mentionIndex }: ChatFeature, panel: ChatPanel): ChatPanelProbe => ({
    title: panel.host.panel.title,
    ready: panel.host.channel.ready,
    readyCount: panel.host.channel.readyCount,
    activeSessionId: panel.controller.activeSession,
    stream: panel.stream?.state.kind ?? 'idle',
    posted: posted.of(panel.host.channel),
    mentionIndex: { files: mentionIndex.size, lastBuild: mentionIndex.lastBuild, events: mentionIndex.events },
  });

  const inject = async (panel: ChatPanel, raw: unknown): Promise<{ ok: boolean; error?: string }> => {
    const parsed = ChatWebviewToHost.safeParse(raw);
    if (!parsed.success) return { ok: false, error: parsed.error.message };
    if (parsed.data.type === 'ready') return { ok: false, error: 'ready is the webview\'s' };
    try {
      await dispatch(panel.controller.handlers, parsed.data);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };

  const dropStream = (panel: ChatPanel, ms: number): boolean => {
    const stream = panel.stream;
    if (!stream) return false;
    stream.stop();
    panel.controller.connection('reconnecting');
    setTimeout(() => { if (!panel.host.disposed && panel.stream === stream) stream.start(); }, ms);
    return true;
  };

  const command = async (chat: ChatFeature, args: ChatInternalArgs): Promise<Answer> => {
    const chatPanels = chat.panels;
    const panel = chatPanels.panels.get(args.projectId);
    if (!panel) return undefined;
    if (args.inject !== undefined) return inject(panel, args.inject);
    if (args.dropStreamMs !== undefined) return { ok: dropStream(panel, args.dropStreamMs) };
    if (args.reload) {
      // What a window reload does: the panel goes, VS Code recreates it and hands the serializer
      // the webview's saved state (which names the project).
      panel.dispose();
      const options = panelOptions(extensionUri, 'chat');
      const restored = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, 'Chat', vscode.ViewColumn.Active, options);
      chatPanels.restore(restored, { v: 1, activeSessionId: null, scroll: {}, drafts: {}, projectId: args.projectId });
      return { ok: chatPanels.panels.get(args.projectId) !== undefined };
    }
    return probe(chat, panel);
  };
  return { loaded, command };
}
