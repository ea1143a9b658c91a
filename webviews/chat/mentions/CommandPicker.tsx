// The `/` picker above the composer: the agent's slash commands (name, description) filtered by what
// follows the slash. Same look and keyboard as the `@` picker (pickerKeys.ts); the textarea keeps the focus.
import { useEffect, useRef } from 'preact/hooks';
import type { ChatCommand } from '../../protocol/chat';

export function CommandPicker({ items, active, onPick, onHover }: {
  items: ChatCommand[]; active: number; onPick(item: ChatCommand): void; onHover(i: number): void;
}) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`#command-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, items]);
  return (
    <div class="picker" role="listbox" id="command-picker" aria-label="Commands" ref={list}>
      {items.length === 0 && <div class="picker-empty">No matching commands</div>}
      {items.map((item, i) => (
        <div
          key={item.name} id={`command-${i}`} role="option" aria-selected={i === active}
          class={`picker-item ${i === active ? 'picker-active' : ''}`}
          onMouseDown={(e) => { e.preventDefault(); onPick(item); }}
          onMouseMove={() => { if (i !== active) onHover(i); }}
        >
          <span class="picker-name">/{item.name}</span>
          <span class="picker-dir">{item.description ?? ''}</span>
        </div>
      ))}
    </div>
  );
}
