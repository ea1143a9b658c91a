// The prompt box: multi-line, Enter sends and Shift+Enter breaks the line, `@` mentions with a
// picker and chips, `/` at the start for the agent's slash commands, model and agent pickers, Abort
// while the agent works, and the visible queue.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatAgent, ChatCommand, ChatModel, Mention, MentionResult, ModelRef, QueuedPrompt } from '../protocol/chat';
import { CommandPicker } from './mentions/CommandPicker';
import { MentionChips } from './mentions/MentionChips';
import { MentionPicker } from './mentions/MentionPicker';
import { formatMention, insertToken, mentionAtCursor, mentionsInText, pickedFromDraft, removeToken, replaceQuery } from './mentions/parse';
import { pickerKey } from './mentions/pickerKeys';
import { filterCommands, pickCommand, slashAtCursor } from './mentions/slash';

export interface ComposerProps {
  draft: string;
  busy: boolean;
  disabled: string | null;
  models: ChatModel[];
  agents: ChatAgent[];
  /** the agent's slash commands (`/` at the start of the message) */
  commands?: ChatCommand[];
  model: ModelRef | null;
  agent: string | null;
  queue: QueuedPrompt[];
  mentionResults: MentionResult[];
  onDraft(text: string): void;
  onSend(text: string, mentions: Mention[]): void;
  onAbort(): void;
  onModel(model: ModelRef): void;
  onAgent(agent: string): void;
  onMentionQuery(query: string): void;
  onQueueEdit(id: string, text: string): void;
  onQueueCancel(id: string): void;
  onQueueRetry(id: string): void;
  /** "Hangar: Use in Chat": a mention to put at the cursor (a new `seq` each time) */
  insertMention?: { seq: number; mention: Mention } | null;
}

const modelKey = (m: ModelRef) => `${m.providerId}/${m.modelId}`;

export function Composer(props: ComposerProps) {
  const { draft, busy, disabled } = props;
  const area = useRef<HTMLTextAreaElement>(null);
  const [picked, setPicked] = useState<Set<string>>(() => pickedFromDraft(draft));
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [slash, setSlash] = useState<{ query: string } | null>(null);
  const [active, setActive] = useState(0);
  // The host ranks the files (extension/chat/mentions): the webview shows its answer as is.
  const items = mention ? props.mentionResults : [];
  const commands = useMemo(() => (slash ? filterCommands(props.commands ?? [], slash.query) : []), [slash?.query, props.commands]);
  const open = mention ? items.length : slash ? commands.length : -1;
  const chips = useMemo(() => mentionsInText(draft, picked), [draft, picked]);

  useEffect(() => { setActive(0); }, [mention?.query, slash?.query]);
  useEffect(() => { autosize(area.current); }, [draft]);
  useEffect(() => {
    const m = props.insertMention;
    const el = area.current;
    if (!m || !el) return;
    const token = formatMention(m.mention);
    const next = insertToken(draft, document.activeElement === el ? el.selectionStart : draft.length, token);
    setPicked((p) => new Set([...p, token]));
    placeCaret(el, next);
    props.onDraft(next.text);
  }, [props.insertMention?.seq]);

  const updateMention = (text: string, cursor: number) => {
    const s = slashAtCursor(text, cursor);
    setSlash(s);
    const m = s ? null : mentionAtCursor(text, cursor);
    setMention(m);
    if (m) props.onMentionQuery(m.query);
  };

  const onInput = (e: Event) => {
    const el = e.currentTarget as HTMLTextAreaElement;
    props.onDraft(el.value);
    updateMention(el.value, el.selectionStart);
  };

  const pick = (item: MentionResult) => {
    const el = area.current;
    if (!el || !mention) return;
    const token = formatMention({ path: item.path });
    const next = replaceQuery(draft, mention.start, el.selectionStart, token);
    setPicked(new Set([...picked, token]));
    setMention(null);
    placeCaret(el, next);
    props.onDraft(next.text);
  };

  const pickSlash = (command: ChatCommand) => {
    const el = area.current;
    if (!el) return;
    const next = pickCommand(draft, command.name);
    setSlash(null);
    placeCaret(el, next);
    props.onDraft(next.text);
  };

  const send = () => {
    const text = draft.trim();
    if (!text || disabled) return;
    props.onSend(text, mentionsInText(text, picked));
    setPicked(new Set());
    setMention(null);
    setSlash(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const action = open >= 0 ? pickerKey(e.key, active, open, { shift: e.shiftKey, composing: e.isComposing }) : null;
    if (action) {
      e.preventDefault();
      if (action.kind === 'move') setActive(action.active);
      else if (action.kind === 'pick' && slash) pickSlash(commands[action.index]!);
      else if (action.kind === 'pick') pick(items[action.index]!);
      else { setMention(null); setSlash(null); }
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const removeChip = (m: Mention) => {
    const token = formatMention(m);
    const next = new Set(picked);
    next.delete(token);
    setPicked(next);
    props.onDraft(removeToken(draft, token));
  };

  return (
    <div class="composer">
      {props.queue.length > 0 && <Queue items={props.queue} onEdit={props.onQueueEdit} onCancel={props.onQueueCancel} onRetry={props.onQueueRetry} />}
      {slash && <CommandPicker items={commands} active={active} onPick={pickSlash} onHover={setActive} />}
      {mention && <MentionPicker items={items} active={active} onPick={pick} onHover={setActive} />}
      <MentionChips chips={chips} onRemove={removeChip} />
      <textarea
        ref={area} class="composer-input" rows={2} value={draft} onInput={onInput} onKeyDown={onKeyDown}
        onClick={(e) => updateMention(draft, (e.currentTarget as HTMLTextAreaElement).selectionStart)}
        onBlur={() => setTimeout(() => { setMention(null); setSlash(null); }, 150)}
        placeholder={busy ? 'The agent is working: your message will be queued…' : 'Ask the agent… (@ to mention a file, / for a command, Shift+Enter for a new line)'}
        aria-label="Message" aria-autocomplete="list"
        aria-controls={slash ? 'command-picker' : mention ? 'mention-picker' : undefined}
        aria-activedescendant={activeId(slash ? commands : mention ? items : [], slash ? 'command' : 'mention', active)}
      />
      <div class="composer-bar">
        <select class="picker-select" aria-label="Agent" value={props.agent ?? ''} onChange={(e) => props.onAgent((e.currentTarget as HTMLSelectElement).value)}>
          {props.agents.map((a) => <option key={a.name} value={a.name} title={a.description}>{a.name}</option>)}
        </select>
        <select
          class="picker-select" aria-label="Model" value={props.model ? modelKey(props.model) : ''}
          onChange={(e) => {
            const m = props.models.find((x) => modelKey(x) === (e.currentTarget as HTMLSelectElement).value);
            if (m) props.onModel({ providerId: m.providerId, modelId: m.modelId });
          }}
        >
          {props.models.map((m) => <option key={modelKey(m)} value={modelKey(m)}>{m.name}</option>)}
        </select>
        <span class="spacer" />
        {disabled && <span class="hg-muted composer-note">{disabled}</span>}
        {busy && <vscode-button secondary onClick={props.onAbort} title="Stop the agent">Abort</vscode-button>}
        <vscode-button onClick={send} disabled={!draft.trim() || !!disabled}>{busy ? 'Queue' : 'Send'}</vscode-button>
      </div>
    </div>
  );
}

function Queue({ items, onEdit, onCancel, onRetry }: {
  items: QueuedPrompt[]; onEdit(id: string, text: string): void; onCancel(id: string): void; onRetry(id: string): void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [text, setText] = useState('');
  return (
    <div class="queue" aria-label="Queued messages">
      <div class="queue-title">Queued — sent in order when the agent is idle</div>
      {items.map((q, i) => (
        <div key={q.id} class={`queue-item ${q.error ? 'queue-failed' : ''}`}>
          <span class="queue-n">{i + 1}</span>
          {editing === q.id
            ? (
              <input
                class="queue-edit" value={text} aria-label="Edit queued message" autoFocus
                onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') { onEdit(q.id, text); setEditing(null); }
                  if (e.key === 'Escape') setEditing(null);
                }}
              />
            )
            : <span class="queue-text" title={q.text}>{q.text}{q.error && <span class="queue-error"> — {q.error}</span>}</span>}
          {editing === q.id
            ? <button type="button" class="hg-link-button" onClick={() => { onEdit(q.id, text); setEditing(null); }}>Save</button>
            : <button type="button" class="hg-link-button" onClick={() => { setEditing(q.id); setText(q.text); }}>Edit</button>}
          {q.error && <button type="button" class="hg-link-button" onClick={() => onRetry(q.id)}>Retry</button>}
          <button type="button" class="hg-link-button" onClick={() => onCancel(q.id)}>Cancel</button>
        </div>
      ))}
    </div>
  );
}

function activeId(items: readonly unknown[], prefix: string, active: number): string | undefined {
  return items[active] ? `${prefix}-${active}` : undefined;
}

function autosize(el: HTMLTextAreaElement | null): void {
  if (!el) return;
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight + 2, 240)}px`;
}

/**
 * Puts the new text and the caret after the inserted token at once, not on a later frame: a frame can come
 * late (a busy machine), after the user typed on, and would then move the caret back into what they typed.
 */
function placeCaret(el: HTMLTextAreaElement, next: { text: string; cursor: number }): void {
  el.value = next.text;
  el.focus();
  el.setSelectionRange(next.cursor, next.cursor);
}
