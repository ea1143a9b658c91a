import type { EffectivePermissions } from '../contract';
import { opencodePermission } from './permissions';

/**
 * Hangar's permission policy: the config file opencode loads after the workspace's own config, so
 * a repository (or the agent itself) writing `"permission": {"bash": "allow"}` into the
 * workspace's opencode.json cannot beat the user's deny.
 *
 * opencode 1.18.33 merges its config sources in this order (later wins, key by key): remote
 * well-known, the global config ($XDG_CONFIG_HOME/opencode, where PATCH /global/config writes),
 * OPENCODE_CONFIG, the project's opencode.json(c) files (workspace up to the git root), then
 * opencode.json(c) in each config folder in the order [workspace `.opencode/` folders, `~/.opencode`,
 * OPENCODE_CONFIG_DIR], then OPENCODE_CONFIG_CONTENT, then the managed config (/etc/opencode).
 * `~/.opencode/opencode.json` is the first source after every workspace file that every runtime
 * can write as the agent's user (local, docker, coolify; HOME is outside the workspace on each), and
 * opencode reads it again at each instance reload. Per-agent `permission` (agent.<name>.permission,
 * or an agent's markdown file) overrides the top-level key, so the policy repeats Hangar's value
 * there for every agent whose config names that key.
 */

/** Which effective setting decides each key of opencodePermission's result. */
function decidedByUser(eff: EffectivePermissions, key: string): boolean {
  const { tools } = eff;
  if (key === 'bash') return tools.bash.source !== 'default' || eff.bashRules.source !== 'default';
  if (key === 'edit') return tools.edit.source !== 'default' || tools.write.source !== 'default';
  if (key === 'webfetch') return tools.webfetch.source !== 'default';
  return tools.mcp.source !== 'default';
}

/**
 * The keys the user (or the project's override) set, in opencode's form. A tool left at opencode's
 * default is not in the policy: there the workspace's opencode.json decides.
 */
export function policyPermission(eff: EffectivePermissions, mcpServers: readonly string[]): Record<string, unknown> {
  const all = opencodePermission(eff, mcpServers);
  return Object.fromEntries(Object.entries(all).filter(([key]) => decidedByUser(eff, key)));
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The whole policy file: the top-level `permission`, and for each agent of the agent's merged config
 * (GET /config `agent`) whose own permission names a key the policy sets (or is one action for
 * every tool, `"permission": "allow"`), that agent's permission with Hangar's values for those keys.
 */
export function policyConfig(permission: Record<string, unknown>, agents: unknown): Record<string, unknown> {
  const agent: Record<string, { permission: Record<string, unknown> }> = {};
  if (isRecord(agents)) {
    for (const [name, cfg] of Object.entries(agents)) {
      const own = isRecord(cfg) ? cfg.permission : undefined;
      if (typeof own === 'string') {
        // One action for every tool: the policy's keys come after it in the agent's rules.
        if (Object.keys(permission).length) agent[name] = { permission: { '*': own, ...permission } };
        continue;
      }
      if (!isRecord(own)) continue;
      const keys = Object.keys(permission).filter((k) => k in own);
      if (keys.length) agent[name] = { permission: Object.fromEntries(keys.map((k) => [k, permission[k]])) };
    }
  }
  return {
    $schema: 'https://opencode.ai/config.json',
    permission,
    ...(Object.keys(agent).length ? { agent } : {}),
  };
}

/** One rule of an agent's ruleset as opencode's GET /agent lists it. */
export interface AgentRule { permission: string; pattern: string; action: string }

/** opencode's wildcard match (1.18.33): `*` any text, `?` one character, a trailing ` *` also matches nothing. */
export function wildcardMatch(text: string, pattern: string): boolean {
  let re = pattern.replaceAll('\\', '/').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  if (re.endsWith(' .*')) re = re.slice(0, -3) + '( .*)?';
  return new RegExp('^' + re + '$', 's').test(text.replaceAll('\\', '/'));
}

/**
 * What still beats the policy after opencode reloaded: for each agent (GET /agent) and each rule the
 * policy sets, the agent's last matching rule (opencode takes the last) must carry the policy's
 * action. A workspace can still order a wildcard rule (`"*": "allow"`) after Hangar's key in the
 * same object; this finds it, in words, so the project can say so.
 */
export function policyViolations(
  agents: readonly { name: string; permission: readonly AgentRule[] }[], permission: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  for (const agent of agents) {
    for (const [key, value] of Object.entries(permission)) {
      const wanted = typeof value === 'string' ? [['*', value] as const]
        : Object.entries(value as Record<string, string>);
      for (const [pattern, action] of wanted) {
        const last = agent.permission.findLast((r) => wildcardMatch(key, r.permission)
          && wildcardMatch(pattern, r.pattern));
        if (!last || last.action === action) continue;
        const rule = `${last.permission} ${last.pattern}`;
        out.push(`agent ${agent.name}: ${key} ${pattern} is ${last.action} (rule ${rule}), not ${action}`);
      }
    }
  }
  return out;
}
