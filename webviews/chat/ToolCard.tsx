// A tool call as a collapsible card: tool, title, status, duration; input and output inside.
import { useState } from 'preact/hooks';
import type { ChatToolPart } from '../protocol/chat';
import { clip, durationText, inputText, toolSubject } from './format';
import { CodeBlock } from './markdown/Markdown';

const STATUS: Record<string, { icon: string; label: string }> = {
  pending: { icon: '○', label: 'Pending' },
  running: { icon: '◐', label: 'Running' },
  completed: { icon: '✓', label: 'Done' },
  error: { icon: '✕', label: 'Failed' },
};
const OUTPUT_SHOWN = 8_000;

export function ToolCard({ part }: { part: ChatToolPart }) {
  const st = part.state;
  const [all, setAll] = useState(false);
  const status = STATUS[st.status] ?? { icon: '?', label: st.status };
  const subject = st.title || toolSubject(st.input);
  const duration = st.time?.end !== undefined ? durationText(st.time.end - st.time.start) : null;
  const output = st.output !== undefined ? clip(st.output, all ? Number.MAX_SAFE_INTEGER : OUTPUT_SHOWN) : null;
  const input = inputText(st.input);
  return (
    <details class={`tool tool-${st.status}`}>
      <summary aria-label={`${part.tool} ${subject}: ${status.label}`}>
        <span class={`tool-status tool-status-${st.status}`} aria-hidden="true">{status.icon}</span>
        <span class="tool-name">{part.tool}</span>
        <span class="tool-title">{subject}</span>
        <span class="tool-meta">{st.status === 'running' ? 'running…' : duration ?? status.label}</span>
      </summary>
      <div class="tool-body">
        {input && <><div class="tool-label">Input</div><CodeBlock code={input} lang="json" /></>}
        {output && (
          <>
            <div class="tool-label">Output</div>
            <pre class="tool-output">{output.text || '(no output)'}</pre>
            {output.clipped > 0 && <button type="button" class="hg-link-button" onClick={() => setAll(true)}>Show {output.clipped.toLocaleString('en')} more characters</button>}
          </>
        )}
        {st.error && <><div class="tool-label">Error</div><pre class="tool-output tool-error-text">{st.error}</pre></>}
      </div>
    </details>
  );
}
