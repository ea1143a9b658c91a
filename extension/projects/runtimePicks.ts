// Create Project's runtime step, without vscode: which runtimes to offer and in what words.
import type { RuntimeInfo, RuntimeName } from '../../backend/contract';

export interface RuntimePick {
  label: string;
  description?: string;
  detail: string;
  runtime: RuntimeName;
}

const WHAT: Record<RuntimeName, string> = {
  local: 'A process on the API\'s machine (sandboxed), no container',
  docker: 'A container on the API\'s docker engine',
  coolify: 'An application on the Coolify server',
};

/** The available runtimes, the server's default first; empty when there is nothing to choose. */
export function runtimePicks(runtimes: readonly RuntimeInfo[]): RuntimePick[] {
  const available = runtimes.filter((r) => r.available);
  if (available.length < 2) return [];
  return [...available]
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .map((r) => ({ label: r.name, ...(r.isDefault ? { description: 'default' } : {}), detail: WHAT[r.name], runtime: r.name }));
}
