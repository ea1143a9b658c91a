// The agent asks before it runs a tool (`permission.asked`): what it wants to do, and the three answers.
import type { PermissionReply } from '../protocol/chat';
import { CodeBlock } from './markdown/Markdown';
import type { PermissionEntry } from './store/state';

const OUTCOME: Record<PermissionReply, string> = { once: 'Allowed once', always: 'Always allowed', reject: 'Rejected' };

export function PermissionCard({ entry, onReply }: { entry: PermissionEntry; onReply(reply: PermissionReply): void }) {
  const { request, reply, sending } = entry;
  const md = request.metadata;
  const command = typeof md['command'] === 'string' ? md['command'] : null;
  const diff = typeof md['diff'] === 'string' ? md['diff'] : null;
  const file = typeof md['filePath'] === 'string' ? md['filePath'] : typeof md['filepath'] === 'string' ? md['filepath'] : null;
  const subject = command ?? file ?? request.patterns.join(', ');
  return (
    <section class={`perm ${reply ? 'perm-answered' : ''}`} role="group" aria-label={`Permission: ${request.permission}`}>
      <div class="perm-head">
        <span class="perm-icon" aria-hidden="true">⚠</span>
        <span>The agent wants to use <strong>{request.permission}</strong></span>
      </div>
      {command !== null
        ? <CodeBlock code={command} lang="sh" />
        : subject && <div class="perm-subject"><code>{subject}</code></div>}
      {diff && <CodeBlock code={diff} lang="diff" />}
      {reply
        ? <div class={`perm-outcome perm-outcome-${reply}`} role="status">{OUTCOME[reply]}{sending ? '…' : ''}</div>
        : (
          <div class="perm-actions">
            <vscode-button onClick={() => onReply('once')}>Allow once</vscode-button>
            <vscode-button secondary onClick={() => onReply('always')} title={request.always.length ? `Always allow: ${request.always.join(', ')}` : undefined}>Always allow</vscode-button>
            <vscode-button secondary onClick={() => onReply('reject')}>Reject</vscode-button>
          </div>
        )}
    </section>
  );
}
