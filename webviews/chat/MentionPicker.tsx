// The `@` picker under the composer: fuzzy-filtered results, arrows and Enter pick, Escape closes.
import type { MentionResult } from '../protocol';

const SOURCE: Record<MentionResult['source'], string> = { workspace: 'local', container: 'container', both: 'local + container' };

export function MentionPicker({ items, active, onPick, onHover }: {
  items: MentionResult[]; active: number; onPick(item: MentionResult): void; onHover(i: number): void;
}) {
  return (
    <div class="picker" role="listbox" id="mention-picker" aria-label="Files to mention">
      {items.length === 0 && <div class="picker-empty">No matching files</div>}
      {items.map((item, i) => {
        const slash = item.path.lastIndexOf('/');
        return (
          <div
            key={item.path} id={`mention-${i}`} role="option" aria-selected={i === active}
            class={`picker-item ${i === active ? 'picker-active' : ''}`}
            onMouseDown={(e) => { e.preventDefault(); onPick(item); }} onMouseMove={() => { if (i !== active) onHover(i); }}
          >
            <span class="picker-name">{item.path.slice(slash + 1)}{item.kind === 'directory' ? '/' : ''}</span>
            <span class="picker-dir">{slash > 0 ? item.path.slice(0, slash) : ''}</span>
            <span class="picker-source">{SOURCE[item.source]}</span>
          </div>
        );
      })}
    </div>
  );
}
