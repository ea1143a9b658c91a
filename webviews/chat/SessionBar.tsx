// The session strip at the top: pick a session, start a new one, rename or delete the current one.
import { useState } from 'preact/hooks';
import type { ChatProject, ChatSession, ConnectionState } from '../protocol/chat';
import { statusText } from '../shared/format';
import { sessionTitleText } from '../shared/units';

export function SessionBar({ project, sessions, activeId, onSwitch, onNew, onRename, onDelete }: {
  project: ChatProject | null; sessions: ChatSession[]; activeId: string | null;
  onSwitch(id: string): void; onNew(): void; onRename(id: string, title: string): void; onDelete(id: string): void;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const active = sessions.find((s) => s.id === activeId);
  const sorted = [...sessions].filter((s) => !s.parentId).sort((a, b) => b.updated - a.updated);
  return (
    <header class="bar">
      {project && <span class={`bar-project status-${project.status}`} title={`${project.name}: ${statusText(project.status)}`}>{project.name}</span>}
      {renaming !== null && active
        ? (
          <input
            class="bar-rename" aria-label="Session title" value={renaming} autoFocus
            onInput={(e) => setRenaming((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && renaming.trim()) { onRename(active.id, renaming.trim()); setRenaming(null); }
              if (e.key === 'Escape') setRenaming(null);
            }}
            onBlur={() => setRenaming(null)}
          />
        )
        : (
          <select class="bar-session picker-select" aria-label="Session" value={activeId ?? ''} onChange={(e) => onSwitch((e.currentTarget as HTMLSelectElement).value)}>
            {!active && <option value="">New session</option>}
            {sorted.map((s) => <option key={s.id} value={s.id}>{sessionTitleText(s.title)}</option>)}
          </select>
        )}
      <span class="spacer" />
      <button type="button" class="bar-btn" onClick={onNew} title="New session" aria-label="New session">+ New</button>
      {active && <button type="button" class="bar-btn" onClick={() => setRenaming(active.title)} aria-label="Rename session">Rename</button>}
      {active && <button type="button" class="bar-btn" onClick={() => onDelete(active.id)} aria-label="Delete session">Delete</button>}
    </header>
  );
}

export function ConnectionBanner({ state }: { state: ConnectionState }) {
  if (state === 'connected') return null;
  return (
    <div class={`banner banner-${state}`} role="status" aria-live="polite">
      {state === 'reconnecting'
        ? <><span class="dots" aria-hidden="true" />Reconnecting to the agent… what you send is kept and delivered once it is back.</>
        : <>Offline: the agent cannot be reached. Your messages wait in the queue.</>}
    </div>
  );
}
