// "Changes": the files the session changed, each opening VS Code's diff editor (the host builds both
// sides). Collapsed until asked for; read again when opened, on Refresh and when a turn ends.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatChangedFile } from '../protocol/chat';
import type { ChangesState } from './store/state';

export interface ChangesListProps {
  sessionId: string;
  changes: ChangesState | undefined;
  /** turns the session finished: each one reads the (open) list again */
  turnsEnded: number;
  onLoad(): void;
  onOpen(file: string): void;
}

const STATUS_LABEL: Record<ChatChangedFile['status'], string> = { added: 'A', deleted: 'D', modified: 'M' };
const STATUS_TITLE: Record<ChatChangedFile['status'], string> = { added: 'added', deleted: 'deleted', modified: 'modified' };

export function ChangesList({ sessionId, changes, turnsEnded, onLoad, onOpen }: ChangesListProps) {
  const [open, setOpen] = useState(false);
  const seenTurns = useRef(turnsEnded);
  useEffect(() => { setOpen(false); }, [sessionId]);
  useEffect(() => {
    if (open && turnsEnded !== seenTurns.current) onLoad();
    seenTurns.current = turnsEnded;
  }, [turnsEnded, open]);

  const files = changes?.files ?? [];
  const count = changes && !changes.loading ? ` (${files.length})` : '';
  return (
    <details
      class="changes" open={open}
      onToggle={(e) => {
        const now = (e.currentTarget as HTMLDetailsElement).open;
        setOpen(now);
        if (now) onLoad();
      }}
    >
      <summary aria-label={`Changes of this session${count}`}>
        Changes{count}
        {open && <button type="button" class="hg-link-button changes-refresh" onClick={(e) => { e.preventDefault(); onLoad(); }}>Refresh</button>}
      </summary>
      {open && (
        <div class="changes-body">
          {changes?.loading && <div class="hg-muted">Reading the changes…</div>}
          {changes?.error && <div class="changes-error" role="alert">{changes.error}</div>}
          {changes && !changes.loading && !changes.error && files.length === 0 && <div class="hg-muted">No changed files.</div>}
          {changes?.source === 'workspace' && files.length > 0 && (
            <div class="hg-muted changes-note">The agent recorded no diff for this session: these are the workspace's uncommitted changes.</div>
          )}
          <ul class="changes-files" aria-label="Changed files">
            {files.map((f) => (
              <li key={f.file}>
                <button type="button" class="changes-file" title={`Open ${f.file} in the diff editor`} onClick={() => onOpen(f.file)}>
                  <span class={`changes-status changes-${f.status}`} title={STATUS_TITLE[f.status]} aria-label={STATUS_TITLE[f.status]}>{STATUS_LABEL[f.status]}</span>
                  <span class="changes-path">{f.file}</span>
                  <span class="changes-add" aria-label={`${f.additions} added lines`}>+{f.additions}</span>
                  <span class="changes-del" aria-label={`${f.deletions} deleted lines`}>−{f.deletions}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
