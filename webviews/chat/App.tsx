// The chat webview's root: owns the store, applies host messages to it (at most one render per
// frame however fast tokens arrive), persists {v:1, scroll, drafts} and talks to the host.
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { MessageHandlers, RequestBody } from '../protocol/common';
import type {
  ChatHostToWebview, ChatPersistedState, ChatScroll, ChatWebviewToHost, Mention, ModelRef, PermissionReply,
} from '../protocol/chat';
import { Loading, Notice } from '../shared/components';
import type { Ipc } from '../shared/ipc';
import { ActionsProvider, type ChatActions } from './actions';
import { Composer } from './Composer';
import { ErrorNote } from './MessageRow';
import { PermissionCard } from './PermissionCard';
import { ConnectionBanner, SessionBar } from './SessionBar';
import { applyHostMessage, markChangesLoading, markPermissionSending, setDraft, startMentionQuery, unmarkPermission } from './store/reduce';
import { activeSession, footerPermissions, isBusy, pendingPermissionCount, queueOf } from './store/selectors';
import { createChatState, draftKey, type ChatState, type SessionState } from './store/state';
import { Transcript } from './Transcript';
import { ChangesList } from './ChangesList';
import { StartingBanner } from './StartingBanner';
import { untilText } from './format';

export type ChatIpc = Ipc<ChatHostToWebview, ChatWebviewToHost, ChatPersistedState>;
type HostMessage = Exclude<ChatHostToWebview, { type: 'response' }>;

const DRAFT_DEBOUNCE_MS = 400;
const PERSIST_DEBOUNCE_MS = 250;

export function App({ ipc }: { ipc: ChatIpc }) {
  const persisted = useMemo(() => ipc.getState(), [ipc]);
  const store = useMemo<ChatState>(() => {
    const s = createChatState();
    if (persisted) {
      s.drafts = { ...persisted.drafts };
      s.activeSessionId = persisted.activeSessionId;
    }
    return s;
  }, [ipc]);
  const scroll = useRef<Record<string, ChatScroll>>({ ...(persisted?.scroll ?? {}) });
  const [, render] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<string | null>(null);
  const [initialised, setInitialised] = useState(false);
  const timers = useRef<{ frame: number; draft?: ReturnType<typeof setTimeout>; persist?: ReturnType<typeof setTimeout> }>({ frame: 0 });
  const mentionSeq = useRef(0);
  const [sent, setSent] = useState(0);
  const [insertMention, setInsertMention] = useState<{ seq: number; mention: Mention } | null>(null);

  const schedule = () => {
    if (timers.current.frame) return;
    timers.current.frame = requestAnimationFrame(() => {
      timers.current.frame = 0;
      render(0);
    });
  };
  const persist = () => {
    clearTimeout(timers.current.persist);
    timers.current.persist = setTimeout(() => {
      ipc.setState({ v: 1, activeSessionId: store.activeSessionId, scroll: scroll.current, drafts: store.drafts, ...(store.project ? { projectId: store.project.id } : {}) });
    }, PERSIST_DEBOUNCE_MS);
  };

  useEffect(() => {
    const apply = (m: HostMessage): void => {
      applyHostMessage(store, m);
      if (m.type === 'chat.init') setInitialised(true);
      if (m.type === 'chat.init' || m.type === 'chat.sessions') persist();
      schedule();
    };
    const handlers: MessageHandlers<HostMessage> = {
      'chat.init': apply, 'chat.project': apply, 'chat.models': apply, 'chat.sessions': apply, 'chat.transcript': apply, 'chat.message': apply,
      'chat.part': apply, 'chat.delta': apply, 'chat.status': apply, 'chat.permission': apply, 'chat.permissionReplied': apply,
      'chat.error': apply, 'chat.connection': apply, 'chat.offlineCopy': apply, 'chat.queue': apply, 'chat.mentionResults': apply,
      'chat.starting': apply, 'chat.changes': apply,
      'chat.insertMention': (m) => setInsertMention((prev) => ({ seq: (prev?.seq ?? 0) + 1, mention: m.mention })),
    };
    ipc.listen(handlers);
    ipc.post({ type: 'ready' });
    return () => {
      cancelAnimationFrame(timers.current.frame);
      ipc.dispose();
    };
  }, [ipc]);

  // A retry countdown ticks once a second while it is shown.
  const session = activeSession(store);
  useEffect(() => {
    if (session?.status.type !== 'retry') return;
    const t = setInterval(() => render(0), 1000);
    return () => clearInterval(t);
  }, [session?.status.type]);

  const request = (body: RequestBody<ChatWebviewToHost>, timeoutMs?: number): Promise<void> =>
    ipc.request(body, timeoutMs).catch((e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      throw e;
    });
  const quiet = (p: Promise<void>) => { p.catch(() => undefined); };

  const actions = useMemo<ChatActions>(() => ({
    openLink: (url) => ipc.post({ type: 'chat.openLink', url }),
    copy: (text) => ipc.post({ type: 'chat.copy', text }),
  }), [ipc]);

  if (!initialised) return <Loading label="Opening chat…" />;

  const sid = store.activeSessionId;
  const busy = isBusy(session);
  const draft = store.drafts[draftKey(sid)] ?? '';
  // Starting or deploying: the banner says so. Stopping: it has to stop first.
  const stoppedState = store.project && ['stopped', 'crashed', 'failed', 'not_deployed'].includes(store.project.status) ? store.project.status : null;
  const notRunning = stoppedState && store.project ? `${store.project.name} is ${stoppedState.replace('_', ' ')}: sending starts it` : null;

  const onDraft = (text: string) => {
    setDraft(store, sid, text);
    render(0);
    persist();
    clearTimeout(timers.current.draft);
    timers.current.draft = setTimeout(() => ipc.post({ type: 'chat.draft', sessionId: sid, text }), DRAFT_DEBOUNCE_MS);
  };
  const onSend = (text: string, mentions: Mention[]) => {
    setDraft(store, sid, '');
    clearTimeout(timers.current.draft);
    ipc.post({ type: 'chat.draft', sessionId: sid, text: '' });
    persist();
    setSent((n) => n + 1);
    const model = store.model ?? undefined;
    const agent = store.agent ?? undefined;
    // The text comes back in the draft if the host could not take it: nothing typed is lost.
    request({ type: 'chat.send', sessionId: sid, text, mentions, ...(model ? { model } : {}), ...(agent ? { agent } : {}) }, 60_000)
      .catch(() => { if (!store.drafts[draftKey(sid)]) onDraft(text); });
  };
  const onPermission = (s: SessionState, permissionId: string, reply: PermissionReply) => {
    markPermissionSending(store, s.id, permissionId, reply);
    render(0);
    request({ type: 'chat.permissionReply', sessionId: s.id, permissionId, reply })
      .catch(() => { unmarkPermission(store, s.id, permissionId); render(0); });
  };

  const footer = session && (
    <>
      {footerPermissions(session).map((p) => <PermissionCard key={p.request.id} entry={p} onReply={(r) => onPermission(session, p.request.id, r)} />)}
      {session.status.type === 'retry' && (
        <div class="msg-error msg-retry" role="status">
          <strong>Retrying</strong> — attempt {session.status.attempt}, next {untilText(session.status.next, Date.now())}
          {session.status.message && <div class="hg-muted">{session.status.message}</div>}
        </div>
      )}
      {session.error && !lastMessageHasError(session) && <ErrorNote name={session.error.name} message={session.error.message} />}
      {session.status.type === 'busy' && (
        <div class="working" role="status">
          <span class="dots" aria-hidden="true" />
          {pendingPermissionCount(session) ? 'Waiting for your answer…' : 'The agent is working…'}
        </div>
      )}
    </>
  );

  return (
    <ActionsProvider value={actions}>
      <div class="chat">
        <SessionBar
          project={store.project} sessions={store.sessions} activeId={sid}
          onSwitch={(id) => { quiet(request({ type: 'chat.switchSession', sessionId: id })); }}
          onNew={() => { quiet(request({ type: 'chat.newSession' })); }}
          onRename={(id, title) => { quiet(request({ type: 'chat.renameSession', sessionId: id, title })); }}
          onDelete={(id) => { quiet(request({ type: 'chat.deleteSession', sessionId: id }, 10 * 60_000)); }}
        />
        {store.project?.desktop && (
          <div class="chat-desktop"><vscode-button secondary onClick={() => ipc.post({ type: 'chat.openDesktop' })}>Open Desktop</vscode-button></div>
        )}
        {/* A project that is not running has no agent to reconnect to: it says so, with Start. */}
        {stoppedState && !store.starting
          ? (
            <div class="banner banner-stopped" role="status">
              {stoppedLabel(stoppedState)}
              <button type="button" class="hg-link-button banner-action" onClick={() => { quiet(request({ type: 'chat.start' }, 10 * 60_000)); }}>
                {stoppedState === 'not_deployed' ? 'Deploy' : 'Start'}
              </button>
            </div>
          )
          : <ConnectionBanner state={store.connection} />}
        {store.offlineCopy !== null && (
          <div class="banner banner-offline-copy" role="status">
            Offline copy from {store.offlineCopy}: read-only until the agent is back. What you send waits in the queue and is delivered then.
          </div>
        )}
        <StartingBanner
          project={store.project} starting={store.starting}
          onCancel={() => ipc.post({ type: 'chat.start.cancel' })}
          onDismiss={() => { store.starting = null; render(0); }}
        />
        {store.needsRedeploy && (
          <div class="banner banner-redeploy" role="alert">
            {store.needsRedeploy}
            <button type="button" class="hg-link-button banner-action" onClick={() => { quiet(request({ type: 'chat.redeploy' }, 10 * 60_000)); }}>Redeploy</button>
          </div>
        )}
        {store.modelNotice && <Notice kind="info" onDismiss={() => { store.modelNotice = null; render(0); }}>{store.modelNotice}</Notice>}
        {error && <Notice kind="error" onDismiss={() => setError(null)}>{error}</Notice>}
        {session && session.loaded
          ? (
            <Transcript
              key={session.id} session={session} rev={session.rev + store.rev} streaming={busy}
              initialScroll={scroll.current[session.id]}
              onScrollChange={(sc) => { scroll.current[session.id] = sc; persist(); }}
              onLoadOlder={() => {
                const first = session.order[0];
                if (first && !loadingOlder.has(session.id + first)) {
                  loadingOlder.add(session.id + first);
                  ipc.post({ type: 'chat.loadOlder', sessionId: session.id, before: first });
                }
              }}
              footer={footer}
              sent={sent}
            />
          )
          : sid ? <Loading label="Loading the conversation…" /> : <div class="transcript empty"><p class="hg-muted">Start a conversation with the agent of {store.project?.name ?? 'this project'}.</p></div>}
        {sid && store.project?.status === 'running' && (
          <ChangesList
            sessionId={sid} changes={store.changes.get(sid)} turnsEnded={session?.turnsEnded ?? 0}
            onLoad={() => {
              markChangesLoading(store, sid);
              render(0);
              quiet(request({ type: 'chat.changes.load', sessionId: sid }, 60_000));
            }}
            onOpen={(file) => { quiet(request({ type: 'chat.changes.open', sessionId: sid, file }, 60_000)); }}
          />
        )}
        <Composer
          draft={draft} busy={busy} disabled={null} models={store.models} agents={store.agents} model={store.model} agent={store.agent}
          commands={store.commands}
          queue={queueOf(store, sid)} mentionResults={store.mentions.items} insertMention={insertMention}
          onDraft={onDraft} onSend={onSend}
          onAbort={() => { if (sid) quiet(request({ type: 'chat.abort', sessionId: sid })); }}
          onModel={(m: ModelRef) => { store.model = m; render(0); }}
          onAgent={(a) => { store.agent = a; render(0); }}
          onMentionQuery={(query) => {
            const seq = ++mentionSeq.current;
            startMentionQuery(store, seq);
            ipc.post({ type: 'chat.mentionQuery', seq, query });
          }}
          onQueueEdit={(id, text) => ipc.post({ type: 'chat.queue.edit', id, text })}
          onQueueCancel={(id) => ipc.post({ type: 'chat.queue.cancel', id })}
          onQueueRetry={(id) => ipc.post({ type: 'chat.queue.retry', id })}
        />
        {notRunning && <div class="status-note hg-muted">{notRunning}</div>}
      </div>
    </ActionsProvider>
  );
}

function stoppedLabel(status: string): string {
  switch (status) {
    case 'not_deployed': return 'Project not deployed';
    case 'crashed': return 'Project crashed';
    case 'failed': return 'Project failed';
    default: return 'Project stopped';
  }
}

/** Requests for older pages already sent (by session and first message), so scrolling asks once. */
const loadingOlder = new Set<string>();

function lastMessageHasError(s: SessionState): boolean {
  const last = s.order[s.order.length - 1];
  return !!(last && s.messages.get(last)?.info.error);
}
