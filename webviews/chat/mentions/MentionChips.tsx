// The mentions of the draft as chips above the textarea: the path (and line range) with a remove button.
import type { Mention } from '../../protocol/chat';
import { formatMention } from './parse';
import './mentions.css';

export function MentionChips({ chips, onRemove }: { chips: Mention[]; onRemove(m: Mention): void }) {
  if (chips.length === 0) return null;
  return (
    <div class="chips composer-chips" aria-label="Mentioned files">
      {chips.map((m) => {
        const token = formatMention(m);
        const slash = m.path.lastIndexOf('/');
        return (
          <span key={token} class="chip mention-chip" title={token.slice(1)}>
            <span class="chip-at" aria-hidden="true">@</span>
            <span class="chip-name">{m.path.slice(slash + 1)}</span>
            {m.range && <span class="chip-range">{m.range.start === m.range.end ? `:${m.range.start}` : `:${m.range.start}–${m.range.end}`}</span>}
            {slash > 0 && <span class="chip-dir">{m.path.slice(0, slash)}</span>}
            <button type="button" class="chip-x" aria-label={`Remove ${token}`} onClick={() => onRemove(m)}>×</button>
          </span>
        );
      })}
    </div>
  );
}
