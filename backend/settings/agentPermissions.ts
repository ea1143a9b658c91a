import type { EffectivePermissions } from '../contract';
import type { RuntimeDriver } from '../runtime/driver';
import { needsReset, opencodePermission } from './permissions';
import { policyConfig, policyPermission } from './permissionPolicy';

/** One call to the agent's opencode (auth added by the caller); throws on a non-2xx answer. */
export type AgentCall = (method: string, path: string, body?: unknown) => Promise<Response>;

/** Empties the agent's global config file so the next PATCH writes it from scratch. */
export type ConfigReset = (projectId: string) => Promise<void>;

/** What the agent config writer (providers/liveUpdate.ts) needs to add permissions to what it pushes. */
/** Writes Hangar's permission policy file into the agent's environment (permissionPolicy.ts). */
export type PolicyWriter = (projectId: string, policy: AgentPolicy) => Promise<void>;

export interface AgentPermissionSource {
  forProject(projectId: string): Promise<EffectivePermissions | undefined>;
  resetConfig: ConfigReset;
  writePolicy: PolicyWriter;
}

/** The policy file's content, and the opencode version its config folder is prepared for. */
export interface AgentPolicy { config: Record<string, unknown>; permission: Record<string, unknown>; version: string }

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

/** The policy for a running agent: its MCP servers, the agents its merged config names, its version. */
export async function agentPolicy(call: AgentCall, eff: EffectivePermissions): Promise<AgentPolicy> {
  const mcp = await (await call('GET', '/mcp')).json() as unknown;
  const servers = mcp && typeof mcp === 'object' && !Array.isArray(mcp) ? Object.keys(mcp) : [];
  const permission = policyPermission(eff, servers);
  const config = await (await call('GET', '/config')).json() as { agent?: unknown };
  const health = await (await call('GET', '/global/health')).json() as { version?: unknown };
  const version = typeof health.version === 'string' ? health.version : '';
  return { config: policyConfig(permission, config.agent), permission, version };
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

/**
 * `~/.opencode/opencode.json` (permissionPolicy.ts says why there), written whole and renamed into
 * place. opencode installs @opencode-ai/plugin into every config folder it loads unless the folder
 * already has it (runtime/local/configDir.ts): the same stub goes next to the file. The JSON travels
 * as positional parameters, never through the shell's parser.
 */
const POLICY_SCRIPT = [
  'd="$HOME/.opencode"; m="$d/node_modules/@opencode-ai/plugin"',
  'mkdir -p "$m" && chmod 700 "$d"',
  'printf %s "$2" > "$d/package.json" && printf %s "$3" > "$d/package-lock.json" && printf %s "$4" > "$m/package.json"',
  'printf %s "$1" > "$d/opencode.json.tmp" && mv "$d/opencode.json.tmp" "$d/opencode.json"',
].join(' && ');

/** The policy write through the project's runtime driver (each runtime runs it as the agent's user, in its HOME). */
export function driverPolicyWriter(driverFor: (projectId: string) => Promise<RuntimeDriver>): PolicyWriter {
  return async (projectId, policy) => {
    const deps = { '@opencode-ai/plugin': policy.version };
    const lock = { name: '.opencode', lockfileVersion: 3, requires: true,
      packages: { '': { dependencies: deps }, 'node_modules/@opencode-ai/plugin': { version: policy.version } } };
    const argv = ['sh', '-c', POLICY_SCRIPT, 'hangar-policy', JSON.stringify(policy.config, null, 2),
      JSON.stringify({ dependencies: deps }), JSON.stringify(lock),
      JSON.stringify({ name: '@opencode-ai/plugin', version: policy.version, type: 'module' })];
    const driver = await driverFor(projectId);
    const res = await driver.exec(projectId, argv, { timeoutMs: 30_000 });
    if (res.exitCode !== 0) throw new Error(`could not write the agent's permission policy (exit ${res.exitCode})`);
  };
}
