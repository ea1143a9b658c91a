// The "Agent" node under each project, without vscode: AGENTS.md, opencode.json, the four folders
// opencode reads (.opencode/agent|command|tool|plugin) and the MCP servers, as plain nodes.
import type { AgentMcpStatus } from '../../backend/contract';
import { AGENTS_MD, KIND_DIRS, OPENCODE_JSON, type AgentFileKind } from './agentTemplates';
import { toFsError, type WorkspaceFs } from './workspaceFs';

export type AgentNode =
  | { kind: 'root'; projectId: string }
  | { kind: 'file'; projectId: string; path: string; label: string; exists: boolean; template?: 'agentsMd' }
  | { kind: 'group'; projectId: string; fileKind: AgentFileKind }
  | { kind: 'mcpGroup'; projectId: string }
  | { kind: 'mcp'; projectId: string; name: string; status: string; error?: string }
  | { kind: 'message'; projectId: string; text: string; id: string };

export const KINDS: AgentFileKind[] = ['agent', 'command', 'tool', 'plugin'];

/** Stable ids (never a changing value): the tree keeps expansion by them. */
export function nodeId(n: AgentNode): string {
  switch (n.kind) {
    case 'root': return `agent:${n.projectId}`;
    case 'file': return `agentfile:${n.projectId}:${n.path}`;
    case 'group': return `agentgroup:${n.projectId}:${n.fileKind}`;
    case 'mcpGroup': return `agentmcp:${n.projectId}`;
    case 'mcp': return `agentmcp:${n.projectId}:${n.name}`;
    case 'message': return `agentmsg:${n.projectId}:${n.id}`;
  }
}

/** `contextValue`: menus show Open/Rename/Delete on files, New on groups, Connect/Disconnect by state. */
export function contextValueOf(n: AgentNode): string {
  switch (n.kind) {
    case 'root': return 'agentFiles.root';
    case 'file': return n.exists ? 'agentFiles.file' : 'agentFiles.missing';
    case 'group': return `agentFiles.group.${n.fileKind}`;
    case 'mcpGroup': return 'agentFiles.mcpGroup';
    case 'mcp': return `agentFiles.mcp.${n.status}`;
    case 'message': return 'agentFiles.message';
  }
}

export interface AgentTreeDeps {
  fs: WorkspaceFs;
  /** GET /mcp through the agent proxy; throws when the agent is not running. */
  mcpStatus(projectId: string): Promise<AgentMcpStatus>;
}

async function exists(fs: WorkspaceFs, projectId: string, path: string): Promise<boolean> {
  try {
    return (await fs.stat(projectId, path)).type === 'file';
  } catch (e) {
    if (toFsError(e).kind === 'FileNotFound') return false;
    throw e;
  }
}

export async function childrenOf(n: AgentNode, deps: AgentTreeDeps): Promise<AgentNode[]> {
  const { projectId } = n;
  try {
    switch (n.kind) {
      case 'root': {
        const [md, json] = await Promise.all([
          exists(deps.fs, projectId, AGENTS_MD), exists(deps.fs, projectId, OPENCODE_JSON),
        ]);
        return [
          { kind: 'file', projectId, path: AGENTS_MD, label: AGENTS_MD, exists: md, template: 'agentsMd' },
          { kind: 'file', projectId, path: OPENCODE_JSON, label: OPENCODE_JSON, exists: json },
          ...KINDS.map((fileKind): AgentNode => ({ kind: 'group', projectId, fileKind })),
          { kind: 'mcpGroup', projectId },
        ];
      }
      case 'group': {
        const dir = KIND_DIRS[n.fileKind].dir;
        let entries: [string, string, boolean][] = [];
        try {
          entries = await deps.fs.readDirectory(projectId, dir);
        } catch (e) {
          if (toFsError(e).kind !== 'FileNotFound') throw e;
        }
        return entries.filter(([, type]) => type === 'file').map(([name]) => name).sort()
          .map((name) => ({ kind: 'file', projectId, path: `${dir}/${name}`, label: name, exists: true }));
      }
      case 'mcpGroup': {
        let status: AgentMcpStatus;
        try {
          status = await deps.mcpStatus(projectId);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          return [{ kind: 'message', projectId, id: 'mcp', text: `Start the project to see its MCP servers (${why})` }];
        }
        return Object.entries(status).sort(([a], [b]) => a.localeCompare(b))
          .map(([name, s]) => ({
            kind: 'mcp', projectId, name, status: s.status, ...(s.error ? { error: s.error } : {}),
          }));
      }
      default:
        return [];
    }
  } catch (e) {
    return [{ kind: 'message', projectId, id: n.kind, text: toFsError(e).message }];
  }
}

/** opencode.json with one MCP server added or removed (the file keeps every other key as it was). */
export function withMcpServer(configText: string | undefined, name: string, server: unknown | undefined): string {
  let config: Record<string, unknown> = {};
  if (configText?.trim()) {
    const parsed: unknown = JSON.parse(configText);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('opencode.json is not a JSON object');
    }
    config = parsed as Record<string, unknown>;
  }
  const mcp = { ...((config.mcp && typeof config.mcp === 'object' ? config.mcp : {}) as Record<string, unknown>) };
  if (server === undefined) delete mcp[name];
  else mcp[name] = server;
  const next: Record<string, unknown> = { $schema: 'https://opencode.ai/config.json', ...config, mcp };
  if (!Object.keys(mcp).length) delete next.mcp;
  return JSON.stringify(next, null, 2) + '\n';
}
