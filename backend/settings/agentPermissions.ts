import type { EffectivePermissions } from '../contract';
import type { RuntimeDriver } from '../runtime/driver';
import { needsReset, opencodePermission } from './permissions';

/** One call to the agent's opencode (auth added by the caller); throws on a non-2xx answer. */
export type AgentCall = (method: string, path: string, body?: unknown) => Promise<Response>;

/** Empties the agent's global config file so the next PATCH writes it from scratch. */
export type ConfigReset = (projectId: string) => Promise<void>;

/** What the agent config writer (providers/liveUpdate.ts) needs to add permissions to what it pushes. */
export interface AgentPermissionSource {
  forProject(projectId: string): Promise<EffectivePermissions | undefined>;
  resetConfig: ConfigReset;
}

/**
 * The `permission` key for the next PATCH /global/config of a running agent. Reads the agent's MCP
 * servers (one rule each, see opencodePermission) and its current global config; when PATCH cannot
 * turn that into the new permission (needsReset), resets the file first. The running instance keeps
 * the rules it loaded until the instance dispose that follows the PATCH, so no call runs unguarded.
 */
export async function agentPermission(
  call: AgentCall, eff: EffectivePermissions, reset: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const mcp = await (await call('GET', '/mcp')).json() as unknown;
  const servers = mcp && typeof mcp === 'object' && !Array.isArray(mcp) ? Object.keys(mcp) : [];
  const permission = opencodePermission(eff, servers);
  const current = await (await call('GET', '/global/config')).json() as { permission?: unknown };
  if (needsReset(current.permission, permission)) await reset();
  return permission;
}

// Where opencode keeps the config PATCH /global/config writes (1.18.33): $XDG_CONFIG_HOME/opencode/opencode.jsonc.
const RESET_SCRIPT = 'rm -f "${XDG_CONFIG_HOME:-$HOME/.config}/opencode/opencode.jsonc"';

/** The reset through the project's runtime driver (local, docker and coolify all exec in the agent's environment). */
export function driverConfigReset(driverFor: (projectId: string) => Promise<RuntimeDriver>): ConfigReset {
  return async (projectId) => {
    const driver = await driverFor(projectId);
    const res = await driver.exec(projectId, ['sh', '-c', RESET_SCRIPT], { timeoutMs: 30_000 });
    if (res.exitCode !== 0) throw new Error(`could not reset the agent's config file (exit ${res.exitCode})`);
  };
}
