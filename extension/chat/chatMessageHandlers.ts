// The chat webview's requests (ChatWebviewToHost), each answered by the part of the chat it concerns.
import type { ChatHostToWebview, ChatWebviewToHost, MentionResult } from '../../webviews/protocol/chat';
import type { PanelHandlers } from '../core/webview/panelChannel';
import { sessionView } from './agentEvents';
import type { ChatApi } from './chatApi';
import type { ChatChanges } from './chatChanges';
import type { ChatHostPort } from './chatHostPort';
import { safeUrl } from './chatLinks';
import type { ChatOfflineCopy } from './chatOfflineCopy';
import type { ChatTranscript } from './chatTranscript';
import type { ModelChoice } from './modelChoice';
import { NEW_SESSION } from './promptQueue';
import type { PromptSender } from './promptSender';
import type { SessionActivity } from './sessionActivity';

export interface ChatParts {
  api: ChatApi;
  port: ChatHostPort;
  transcript: ChatTranscript;
  sender: PromptSender;
  activity: SessionActivity;
  changes: ChatChanges;
  copy: ChatOfflineCopy;
  models: ModelChoice;
  /** the unsent text per session ('' for a chat with no session yet) */
  drafts: Map<string, string>;
  post(message: ChatHostToWebview): void;
  persist(): void;
}

export function chatMessageHandlers(chat: ChatParts): PanelHandlers<ChatWebviewToHost> {
  const { api, port, transcript, sender, drafts } = chat;
  return {
    // Every prompt goes through the queue: sent at once when its session is idle and the project
    // runs, otherwise kept (visible, persisted) until it can be; one that fails stays with its error.
    'chat.send': async (m) => {
      chat.models.pick(m);
      drafts.delete(m.sessionId ?? '');
      const sessionId = m.sessionId ?? NEW_SESSION;
      await sender.send({ sessionId, text: m.text, mentions: m.mentions, ...chat.models.choice });
    },
    'chat.abort': async (m) => { await api.abort(m.sessionId); },
    'chat.redeploy': async () => { await port.redeployProject?.(); },
    'chat.start': () => { sender.startNow(); },
    'chat.permissionReply': async (m) => { await api.replyPermission(m.permissionId, m.reply); },
    'chat.newSession': async () => {
      const created = await api.createSession();
      transcript.upsert(sessionView(created));
      await transcript.switchTo(created.id);
    },
    'chat.switchSession': async (m) => {
      if (chat.copy.switchTo(m.sessionId)) return;
      if (!transcript.has(m.sessionId)) throw new Error('No such session.');
      await transcript.switchTo(m.sessionId);
    },
    'chat.renameSession': async (m) => {
      transcript.upsert(sessionView(await api.renameSession(m.sessionId, m.title)));
    },
    'chat.deleteSession': async (m) => {
      await api.deleteSession(m.sessionId);
      drafts.delete(m.sessionId);
      sender.queue.dropSession(m.sessionId);
      chat.activity.forget(m.sessionId);
      await transcript.remove(m.sessionId);
    },
    'chat.loadOlder': async (m) => { await transcript.loadOlder(m.sessionId); },
    'chat.queue.edit': (m) => { sender.queue.edit(m.id, m.text); },
    'chat.queue.cancel': (m) => { sender.queue.cancel(m.id); },
    'chat.queue.retry': async (m) => { await sender.retry(m.id); },
    'chat.start.cancel': () => { sender.cancelStart(); },
    'chat.changes.load': async (m) => { await chat.changes.load(m.sessionId); },
    'chat.changes.open': async (m) => { await chat.changes.open(m.sessionId, m.file); },
    'chat.draft': (m) => {
      if (m.text) drafts.set(m.sessionId ?? '', m.text); else drafts.delete(m.sessionId ?? '');
      chat.persist();
    },
    'chat.openLink': async (m) => {
      const url = safeUrl(m.url);
      if (!url) throw new Error('Only http(s) and mailto links can be opened.');
      if (!(await port.confirmExternal(url))) return;
      if (!(await port.openExternal(url))) throw new Error(`Could not open ${url}`);
    },
    'chat.copy': async (m) => { await port.copy(m.text); },
    'chat.openDesktop': async () => { await port.openDesktop?.(); },
    'chat.mentionQuery': async (m) => {
      if (!port.mentionQuery) { chat.post({ type: 'chat.mentionResults', seq: m.seq, items: [] }); return; }
      const answer = (items: MentionResult[]): void => chat.post({ type: 'chat.mentionResults', seq: m.seq, items });
      await port.mentionQuery(m.seq, m.query, answer);
    },
  };
}
