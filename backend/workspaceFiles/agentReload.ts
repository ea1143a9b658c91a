import { basicAuth } from '../runtime/health';
import type { AgentTarget } from '../opencode/upstream';

/**
 * Paths whose change opencode only sees after its instance reloads: it reads opencode.json(c) and
 * .opencode/{agent,command,tool,plugin,…} once per instance, while AGENTS.md is read again for every
 * turn (checked against the pinned 1.18.33 by test/integration/workspaceFiles).
 */
export function needsAgentReload(paths: readonly string[]): boolean {
  return paths.some((p) => p === '.opencode' || p.startsWith('.opencode/') || /^opencode\.jsonc?$/.test(p));
}

/** POST /instance/dispose: the next request builds the instance again from the files (it answers once the old one is shut down: seconds on a busy machine). */
export async function reloadAgent(target: AgentTarget, timeoutMs = 30_000): Promise<void> {
  const res = await fetch(`${target.baseUrl}/instance/dispose`, {
    method: 'POST', headers: { Authorization: basicAuth(target.password) }, signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the agent answered ${res.status} to /instance/dispose`);
}
