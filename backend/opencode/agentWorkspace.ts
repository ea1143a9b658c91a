import path from 'node:path';
import { WORKSPACE } from '../runtime/docker/containerSpec';
import { projectPaths } from '../runtime/local/paths';

/** A project's workspace as its agent sees it and, when it lives on this host, where it is here. */
export interface AgentWorkspace {
  /** The absolute POSIX path of the workspace inside the agent's runtime (opencode's `directory`). */
  agentRoot: string;
  /** The same folder on this host (local runtime): symlinks are resolved here before a file is handed over. */
  hostRoot?: string;
}

/**
 * Where each runtime keeps the workspace: the local runtime under the data dir (the agent sees the
 * same path), containers at /workspace (their own filesystem, so a symlink there cannot reach the host).
 */
export function agentWorkspaceResolver(dataDir: string): (projectId: string, runtime: string) => AgentWorkspace {
  const root = path.join(dataDir, 'projects');
  return (projectId, runtime) => {
    if (runtime !== 'local') return { agentRoot: WORKSPACE };
    const { workspace } = projectPaths(root, projectId);
    return { agentRoot: workspace, hostRoot: workspace };
  };
}
