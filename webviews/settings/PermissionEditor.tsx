import { useEffect, useState } from 'preact/hooks';
import {
  TOOL_VIEWS, type ActionView, type BashRuleView, type PermissionsView, type ProjectPermissionsView, type ToolView,
} from '../protocol/settings';

const LABELS: Record<ToolView, string> = {
  bash: 'Run commands (bash)', edit: 'Edit files', write: 'Write new files', webfetch: 'Fetch web pages', mcp: 'MCP tools',
};
const SOURCES = { project: 'this project', user: 'your default', default: "opencode's default" } as const;

/** One layer of permissions: each tool ask/allow/deny or inherited, and bash command rules. */
export function PermissionEditor(props: {
  value: PermissionsView;
  inheritLabel: string;
  effective?: ProjectPermissionsView | undefined;
  busy: boolean;
  onSave: (value: PermissionsView) => void;
}) {
  const [draft, setDraft] = useState<PermissionsView>(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const setTool = (tool: ToolView, v: string) => {
    const next = { ...draft };
    if (v === '') delete next[tool];
    else next[tool] = v as ActionView;
    setDraft(next);
  };
  const rules = draft.bashRules;
  const setRules = (next: BashRuleView[] | undefined) => {
    const copy = { ...draft };
    if (next === undefined) delete copy.bashRules;
    else copy.bashRules = next;
    setDraft(copy);
  };
  return (
    <div class="hg-permissions">
      <table>
        <thead><tr><th>Tool</th><th>Setting</th>{props.effective && <th>Effective</th>}</tr></thead>
        <tbody>
          {TOOL_VIEWS.map((tool) => (
            <tr key={tool}>
              <td>{LABELS[tool]}</td>
              <td>
                <select aria-label={`${tool} permission`} data-tool={tool} value={draft[tool] ?? ''}
                  onChange={(e) => setTool(tool, (e.target as HTMLSelectElement).value)}>
                  <option value="">{props.inheritLabel}</option>
                  <option value="ask">ask</option>
                  <option value="allow">allow</option>
                  <option value="deny">deny</option>
                </select>
              </td>
              {props.effective && (
                <td data-effective={tool}>
                  <strong>{props.effective.tools[tool].action}</strong>
                  <span class="hg-muted"> from {SOURCES[props.effective.tools[tool].source]}</span>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Bash command rules</h3>
      <p class="hg-muted">
        The last matching rule wins, like <code>git *</code>: allow.
        {props.effective && ` Effective: ${props.effective.bashRules.rules.length} rule(s) from ${SOURCES[props.effective.bashRules.source]}.`}
      </p>
      {rules === undefined ? (
        <button type="button" class="hg-link-button" onClick={() => setRules([])}>Set rules here ({props.inheritLabel.toLowerCase()} otherwise)</button>
      ) : (
        <div class="hg-rules">
          {rules.map((r, i) => (
            <div class="hg-rule" key={i}>
              <input aria-label={`rule ${i + 1} pattern`} value={r.pattern} placeholder="git *"
                onInput={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, pattern: (e.target as HTMLInputElement).value } : x)))} />
              <select aria-label={`rule ${i + 1} action`} value={r.action}
                onChange={(e) => setRules(rules.map((x, j) => (j === i ? { ...x, action: (e.target as HTMLSelectElement).value as ActionView } : x)))}>
                <option value="ask">ask</option><option value="allow">allow</option><option value="deny">deny</option>
              </select>
              <button type="button" class="hg-link-button" onClick={() => setRules(rules.filter((_, j) => j !== i))}>Remove</button>
            </div>
          ))}
          <button type="button" class="hg-link-button" onClick={() => setRules([...rules, { pattern: '', action: 'ask' }])}>Add rule</button>
          <button type="button" class="hg-link-button" onClick={() => setRules(undefined)}>Inherit the rules instead</button>
        </div>
      )}
      <div class="hg-actions">
        <vscode-button disabled={props.busy} onClick={() => props.onSave(draft)}>Save permissions</vscode-button>
      </div>
    </div>
  );
}
