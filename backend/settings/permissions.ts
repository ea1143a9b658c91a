import {
  PERMISSION_TOOLS, type EffectivePermission, type EffectivePermissions, type PermissionAction, type PermissionSettings,
} from '../contract';

/** opencode's own default for its default agent: every tool runs without asking (docs/opencode.md). */
export const OPENCODE_DEFAULT: PermissionAction = 'allow';

const STRICTNESS: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 };

/** The stricter of two actions (deny > ask > allow). */
export function stricter(a: PermissionAction, b: PermissionAction): PermissionAction {
  return STRICTNESS[a] >= STRICTNESS[b] ? a : b;
}

/** Each tool: the project's override, else the user's default, else opencode's; bash rules likewise as one list. */
export function effectivePermissions(user: PermissionSettings, project: PermissionSettings): EffectivePermissions {
  const pick = (tool: (typeof PERMISSION_TOOLS)[number]): EffectivePermission => {
    const fromProject = project[tool];
    if (fromProject) return { action: fromProject, source: 'project' };
    const fromUser = user[tool];
    if (fromUser) return { action: fromUser, source: 'user' };
    return { action: OPENCODE_DEFAULT, source: 'default' };
  };
  const bashRules = project.bashRules ? { rules: project.bashRules, source: 'project' as const }
    : user.bashRules ? { rules: user.bashRules, source: 'user' as const } : { rules: [], source: 'default' as const };
  return {
    tools: { bash: pick('bash'), edit: pick('edit'), write: pick('write'), webfetch: pick('webfetch'), mcp: pick('mcp') },
    bashRules, user, project,
  };
}

/** opencode names an MCP tool `<server>_<tool>`, each part with every character but [A-Za-z0-9_-] made `_`. */
export function mcpToolPattern(server: string): string {
  return `${server.replace(/[^a-zA-Z0-9_-]/g, '_')}_*`;
}

/**
 * The `permission` key of opencode's config (1.18.33) for an effective set:
 * - bash: the tool's action, or `{"*": action, <pattern>: action, …}` with the rules after `*`
 *   (opencode takes the last matching rule);
 * - edit and write: opencode checks both under its one `edit` permission (its write tool asks for
 *   "edit", and `tools.write` is folded into `edit`), so the agent gets the stricter of the two;
 * - webfetch as is;
 * - mcp: opencode asks for each MCP tool by its own name, so one `<server>_*` rule per MCP server the
 *   agent has (GET /mcp at the time of the push).
 */
export function opencodePermission(eff: EffectivePermissions, mcpServers: readonly string[]): Record<string, unknown> {
  const { tools } = eff;
  const bash = eff.bashRules.rules.length
    ? Object.fromEntries([['*', tools.bash.action], ...eff.bashRules.rules.map((r) => [r.pattern, r.action])])
    : tools.bash.action;
  const permission: Record<string, unknown> = {
    bash,
    edit: stricter(tools.edit.action, tools.write.action),
    webfetch: tools.webfetch.action,
  };
  for (const server of [...mcpServers].sort()) permission[mcpToolPattern(server)] = tools.mcp.action;
  return permission;
}

/**
 * opencode's PATCH /global/config writes the config file key by key (jsonc `modify`): it can neither
 * remove a key, nor reorder one, nor put an object where a string is. True when the agent's current
 * `permission` cannot become `next` that way: a key (a bash rule, an MCP server) is gone, bash rules
 * are in another order (opencode takes the last matching one), or bash turns from one action into
 * rules. Then the file is reset first (agentPermissions.ts).
 */
export function needsReset(current: unknown, next: Record<string, unknown>): boolean {
  if (!isRecord(current)) return false;
  for (const [key, value] of Object.entries(current)) {
    if (!(key in next)) return true;
    const want = next[key];
    if (typeof value === 'string' && isRecord(want)) return true;
    if (isRecord(value) && isRecord(want)) {
      const wantKeys = Object.keys(want);
      if (Object.keys(value).some((k, i) => wantKeys[i] !== k)) return true;
    }
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
