// The `@` picker above the composer: the host's ranked results (file name, folder, where the file
// lives), the highlighted one kept in view. Keyboard: pickerKeys.ts; the textarea keeps the focus.
import { useEffect, useRef } from 'preact/hooks';
import type { MentionResult } from '../../protocol/chat';

const SOURCE: Record<MentionResult['source'], { label: string; title: string }> = {
  workspace: { label: 'local', title: 'In this VS Code workspace only: its content is sent with the prompt' },
  container: { label: 'container', title: 'In the agent\'s container only' },
  both: { label: 'local + container', title: 'In this workspace and in the agent\'s container' },
};

export function MentionPicker({ items, active, onPick, onHover }: {
  items: MentionResult[]; active: number; onPick(item: MentionResult): void; onHover(i: number): void;
}) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = list.current?.querySelector<HTMLElement>(`#mention-${active}`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [active, items]);
  return (
    <div class="picker" role="listbox" id="mention-picker" aria-label="Files to mention" ref={list}>
      {items.length === 0 && <div class="picker-empty">No matching files</div>}
      {items.map((item, i) => {
        const slash = item.path.lastIndexOf('/');
        const source = SOURCE[item.source];
        return (
          <div
            key={item.path} id={`mention-${i}`} role="option" aria-selected={i === active}
            class={`picker-item ${i === active ? 'picker-active' : ''}`}
            onMouseDown={(e) => { e.preventDefault(); onPick(item); }} onMouseMove={() => { if (i !== active) onHover(i); }}
          >
            <span class="picker-name">{item.path.slice(slash + 1)}{item.kind === 'directory' ? '/' : ''}</span>
            <span class="picker-dir">{slash > 0 ? item.path.slice(0, slash) : ''}</span>
            <span class={`picker-source picker-source-${item.source}`} title={source.title}>{source.label}</span>
          </div>
        );
      })}
    </div>
  );
}
