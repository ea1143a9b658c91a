// One message of the transcript. Memoised on the message's revision: a streamed token re-renders
// only the message it belongs to. ("The agent is working…" is in the transcript's footer.)
import { memo } from 'preact/compat';
import type { ChatFilePart, ChatPart, ChatReasoningPart, ChatTextPart, ChatToolPart } from '../protocol/chat';
import { costText, durationText, errorText, tokensText } from './format';
import { Markdown } from './markdown/Markdown';
import { PermissionCard } from './PermissionCard';
import type { MessageEntry, PermissionEntry } from './store/state';
import { turnSummary } from './store/selectors';
import { ToolCard } from './ToolCard';

export const MessageRow = memo(
  function MessageRow({ entry, parts, answered }: { entry: MessageEntry; parts: ChatPart[]; answered?: Map<string, PermissionEntry>; rev: number }) {
    const { info } = entry;
    if (info.role === 'user') {
      const texts = parts.filter((p): p is ChatTextPart => p.type === 'text' && !(p as ChatTextPart).synthetic);
      const files = parts.filter((p): p is ChatFilePart => p.type === 'file');
      return (
        <article class="msg msg-user" aria-label="You">
          <div class="msg-bubble">
            {texts.map((p) => <div key={p.id} class="msg-user-text">{p.text}</div>)}
            {files.length > 0 && <div class="chips">{files.map((f) => <span key={f.id} class="chip" title={f.url}>@{f.filename ?? f.url}</span>)}</div>}
          </div>
          {info.error && <ErrorNote name={info.error.name} message={info.error.message} />}
        </article>
      );
    }
    const summary = turnSummary(info, parts);
    const visible = parts.filter((p) => p.type === 'text' || p.type === 'reasoning' || p.type === 'tool' || p.type === 'file');
    return (
      <article class="msg msg-assistant" aria-label="Agent">
        {visible.map((p) => {
          const card = p.type === 'tool' ? answered?.get((p as ChatToolPart).callId) : undefined;
          return card
            ? <div key={p.id}><Part part={p} /><PermissionCard entry={card} onReply={() => undefined} /></div>
            : <Part key={p.id} part={p} />;
        })}
        {info.error && <ErrorNote name={info.error.name} message={info.error.message} />}
        {info.time.completed !== undefined && (
          <footer class="msg-meta">
            {info.modelId && <span>{info.modelId}</span>}
            {summary.tokens && <span title="tokens of this turn">{tokensText(summary.tokens)}</span>}
            {summary.cost > 0 && <span title="cost of this turn">{costText(summary.cost)}</span>}
            {summary.duration !== null && summary.duration > 0 && <span>{durationText(summary.duration)}</span>}
          </footer>
        )}
      </article>
    );
  },
  (a, b) => a.entry === b.entry && a.rev === b.rev,
);

function Part({ part }: { part: ChatPart }) {
  switch (part.type) {
    case 'text':
      return (part as ChatTextPart).text ? <Markdown text={(part as ChatTextPart).text} /> : null;
    case 'reasoning': {
      const text = (part as ChatReasoningPart).text;
      if (!text) return null;
      return (
        <details class="reasoning">
          <summary>Thinking</summary>
          <div class="reasoning-body"><Markdown text={text} /></div>
        </details>
      );
    }
    case 'tool':
      return <ToolCard part={part as ChatToolPart} />;
    case 'file': {
      const f = part as ChatFilePart;
      return <div class="chips"><span class="chip" title={f.url}>{f.filename ?? f.url}</span></div>;
    }
    default:
      return null;
  }
}

export function ErrorNote({ name, message }: { name: string; message?: string }) {
  const e = errorText({ name, ...(message !== undefined ? { message } : {}) });
  const aborted = name === 'MessageAbortedError';
  return (
    <div class={`msg-error ${aborted ? 'msg-error-aborted' : ''}`} role={aborted ? 'status' : 'alert'}>
      <strong>{e.title}</strong>{e.detail && <span> — {e.detail}</span>}
      {e.raw && (
        <details class="msg-error-raw">
          <summary>Details</summary>
          <pre>{e.raw}</pre>
        </details>
      )}
    </div>
  );
}
