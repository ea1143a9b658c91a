import * as vscode from 'vscode';
import { AgentMcpStatus, McpConfig } from '../../backend/contract';
import type { AgentFileArgs, DeleteAgentFileArgs, McpServerArgs, NewAgentFileArgs, RenameAgentFileArgs, AddMcpServerArgs } from '../core/commandIds';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { pickProject } from '../projects/projectPicker';
import { AGENTS_MD, KIND_DIRS, OPENCODE_JSON, pathFor, templateFor, validName, type AgentFileKind } from './agentTemplates';
import { AgentTreeItem } from './agentTreeItems';
import { childrenOf, KINDS, withMcpServer, type AgentNode, type AgentTreeDeps } from './agentTreeModel';
import { HANGAR_SCHEME, toFsError, WorkspaceFs } from './workspaceFs';
import { HangarFileSystem, hangarUri } from './hangarFileSystem';
import type { AGENT_FILES_COMMANDS } from './agentFilesManifest';

/** The agent's own files and MCP servers: the `hangar:` file system and the Agent node in the Projects view. */
export interface AgentFilesFeature extends Feature<(typeof AGENT_FILES_COMMANDS)[number]> {
  readonly id: 'agentFiles';
  readonly files: AgentFiles;
}

export async function createAgentFilesFeature(core: FeatureCore): Promise<AgentFilesFeature> {
  const files = new AgentFiles(core.session, core.log);
  // The Agent node hangs below each project row.
  (await core.feature('projects')).projectsTree.setChildSource(files);
  // The placeholder `hangar:` provider registered at activation forwards to this one (core/featureHost).
  return {
    id: 'agentFiles', files, commands: files.handlers(), disposables: [files],
    fileSystems: { [HANGAR_SCHEME]: files.provider },
  };
}

type TreeArg<T> = T | AgentTreeItem | { projectId: string } | undefined;

/**
 * The agent's own files as real files (issue #15): the `hangar:` file system, the "Agent" node under
 * each project in the Projects view (AGENTS.md, opencode.json, agents, commands, tools, plugins, MCP
 * servers) and the commands on it.
 */
export class AgentFiles implements vscode.Disposable {
  readonly fs: WorkspaceFs;
  /** The `hangar:` file system (registered by the feature host, see agentFilesManifest.ts). */
  readonly provider: HangarFileSystem;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  private readonly tree: AgentTreeDeps;

  constructor(private readonly session: HangarSession, private readonly log: Logger) {
    this.fs = new WorkspaceFs(() => session.api);
    this.provider = new HangarFileSystem(this.fs);
    this.tree = { fs: this.fs, mcpStatus: (projectId) => this.session.api.agent(projectId, 'GET', '/mcp', AgentMcpStatus) };
    this.disposables = [
      this.provider, this.changed,
      session.onDidReceiveEvent((e) => {
        if (e.type !== 'workspace.changed') return;
        this.fs.noteChanged(e.data.projectId, e.data.changes);
        this.changed.fire();
      }),
    ];
  }

  /** The Projects view's children below a project row (the Agent node) and below each Agent node. */
  async children(parent: vscode.TreeItem & { projectId?: string }): Promise<vscode.TreeItem[]> {
    if (parent instanceof AgentTreeItem) return (await childrenOf(parent.node, this.tree)).map((n) => new AgentTreeItem(n));
    return parent.projectId ? [new AgentTreeItem({ kind: 'root', projectId: parent.projectId })] : [];
  }

  handlers() {
    return {
      'hangar.agentFiles.open': (a?: TreeArg<AgentFileArgs>) => this.open(a),
      'hangar.agentFiles.new': (a?: TreeArg<NewAgentFileArgs>) => this.create(a),
      'hangar.agentFiles.rename': (a?: TreeArg<RenameAgentFileArgs>) => this.rename(a),
      'hangar.agentFiles.delete': (a?: TreeArg<DeleteAgentFileArgs>) => this.remove(a),
      'hangar.agentFiles.addMcpServer': (a?: TreeArg<AddMcpServerArgs>) => this.addMcp(a),
      'hangar.agentFiles.removeMcpServer': (a?: TreeArg<McpServerArgs>) => this.removeMcp(a),
      'hangar.agentFiles.connectMcpServer': (a?: TreeArg<McpServerArgs>) => this.mcpAction(a, 'connect'),
      'hangar.agentFiles.disconnectMcpServer': (a?: TreeArg<McpServerArgs>) => this.mcpAction(a, 'disconnect'),
    } as const;
  }

  private async projectOf(a: { projectId?: string } | undefined, title: string): Promise<string | undefined> {
    if (a?.projectId) return a.projectId;
    return (await pickProject(this.session, { title, placeHolder: 'Which project?' }))?.id;
  }

  async open(a?: TreeArg<AgentFileArgs>): Promise<vscode.TextEditor | undefined> {
    const arg = a instanceof AgentTreeItem ? fileOf(a.node) : a;
    const projectId = await this.projectOf(arg, 'Open Agent File');
    if (!projectId) return undefined;
    let path: string | undefined = arg && 'path' in arg && typeof arg.path === 'string' ? arg.path : undefined;
    if (!path) {
      const files = await this.agentFiles(projectId);
      const picked = await vscode.window.showQuickPick(files.map((f) => ({ label: f })), { title: 'Open Agent File', placeHolder: 'AGENTS.md, opencode.json or a file of .opencode/' });
      path = picked?.label;
    }
    if (!path) return undefined;
    return vscode.window.showTextDocument(hangarUri(projectId, path), { preview: false });
  }

  /** Every agent file of the project, for the palette's pick. */
  private async agentFiles(projectId: string): Promise<string[]> {
    const out: string[] = [AGENTS_MD, OPENCODE_JSON];
    for (const kind of KINDS) {
      for (const n of await childrenOf({ kind: 'group', projectId, fileKind: kind }, this.tree)) if (n.kind === 'file') out.push(n.path);
    }
    return out;
  }

  async create(a?: TreeArg<NewAgentFileArgs>): Promise<vscode.TextEditor | undefined> {
    const arg: Partial<NewAgentFileArgs> | undefined = a instanceof AgentTreeItem
      ? { projectId: a.node.projectId, ...(a.node.kind === 'group' ? { kind: a.node.fileKind } : a.node.kind === 'file' && a.node.template ? { kind: 'agentsMd' as const } : {}) }
      : a;
    const projectId = await this.projectOf(arg, 'New Agent File');
    if (!projectId) return undefined;
    let kind = arg?.kind;
    if (!kind) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: AGENTS_MD, fileKind: 'agentsMd' as AgentFileKind | 'agentsMd' },
          ...KINDS.map((k) => ({ label: KIND_DIRS[k].label.replace(/s$/, ''), description: KIND_DIRS[k].dir, fileKind: k as AgentFileKind | 'agentsMd' })),
        ],
        { title: 'New Agent File', placeHolder: 'What to create from a template' });
      kind = picked?.fileKind;
    }
    if (!kind) return undefined;
    if (kind === 'agentsMd') return this.writeNew(projectId, AGENTS_MD, templateFor('agentsMd', ''));
    const name = arg?.name ?? await vscode.window.showInputBox({ title: `New ${kind}`, prompt: `The ${kind}'s name (its file name in ${KIND_DIRS[kind].dir})`, validateInput: validName });
    if (!name) return undefined;
    const problem = validName(name);
    if (problem) throw new Error(problem);
    await this.ensureDir(projectId, kind);
    return this.writeNew(projectId, pathFor(kind, name), templateFor(kind, name));
  }

  private async ensureDir(projectId: string, kind: AgentFileKind): Promise<void> {
    for (const dir of ['.opencode', KIND_DIRS[kind].dir]) {
      try {
        await this.fs.createDirectory(projectId, dir);
      } catch (e) {
        if (toFsError(e).kind !== 'FileExists') throw e;
      }
    }
  }

  private async writeNew(projectId: string, path: string, text: string): Promise<vscode.TextEditor> {
    try {
      await this.fs.writeFile(projectId, path, new TextEncoder().encode(text), { create: true, overwrite: false });
    } catch (e) {
      if (toFsError(e).kind !== 'FileExists') throw toFsError(e);
      void vscode.window.showInformationMessage(`Hangar: ${path} exists already; opened it.`);
    }
    this.changed.fire();
    return vscode.window.showTextDocument(hangarUri(projectId, path), { preview: false });
  }

  async rename(a?: TreeArg<RenameAgentFileArgs>): Promise<string | undefined> {
    const arg: Partial<RenameAgentFileArgs> | undefined = a instanceof AgentTreeItem ? fileOf(a.node) : a;
    if (!arg?.projectId || !arg.path) { await this.open(); return undefined; }
    const slash = arg.path.lastIndexOf('/');
    const dir = slash >= 0 ? arg.path.slice(0, slash + 1) : '';
    const old = arg.path.slice(dir.length);
    const ext = /\.[A-Za-z0-9]+$/.exec(old)?.[0] ?? '';
    const name = arg.newName ?? await vscode.window.showInputBox({
      title: `Rename ${old}`, value: old.slice(0, old.length - ext.length), prompt: `The new name (the file keeps ${ext || 'no extension'})`, validateInput: validName,
    });
    if (!name) return undefined;
    const problem = validName(name);
    if (problem) throw new Error(problem);
    const to = `${dir}${name}${ext}`;
    await this.fs.rename(arg.projectId, arg.path, to, { overwrite: false }).catch((e: unknown) => { throw toFsError(e); });
    this.changed.fire();
    return to;
  }

  async remove(a?: TreeArg<DeleteAgentFileArgs>): Promise<boolean> {
    const arg: Partial<DeleteAgentFileArgs> | undefined = a instanceof AgentTreeItem ? fileOf(a.node) : a;
    if (!arg?.projectId || !arg.path) return false;
    if (arg.confirm !== true) {
      const ok = await vscode.window.showWarningMessage(`Delete ${arg.path} from the project's workspace?`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return false;
    }
    await this.fs.delete(arg.projectId, arg.path, { recursive: false }).catch((e: unknown) => { throw toFsError(e); });
    this.changed.fire();
    return true;
  }

  async addMcp(a?: TreeArg<AddMcpServerArgs>): Promise<AgentMcpStatus | undefined> {
    const arg: Partial<AddMcpServerArgs> | undefined = a instanceof AgentTreeItem ? { projectId: a.node.projectId } : a;
    const projectId = await this.projectOf(arg, 'Add MCP Server');
    if (!projectId) return undefined;
    const name = arg?.name ?? await vscode.window.showInputBox({ title: 'Add MCP Server', prompt: 'A name for the server', validateInput: validName });
    if (!name) return undefined;
    let config = arg?.config;
    if (!config) {
      const type = await vscode.window.showQuickPick([
        { label: 'Local command', description: 'started by the agent in its own runtime', type: 'local' as const },
        { label: 'Remote URL', description: 'reached by the agent over HTTP(S)', type: 'remote' as const },
      ], { title: `Add MCP Server ${name}` });
      if (!type) return undefined;
      const value = await vscode.window.showInputBox({
        title: `Add MCP Server ${name}`,
        prompt: type.type === 'local' ? 'The command and its arguments, separated by spaces (e.g. npx -y @modelcontextprotocol/server-everything)' : 'The server\'s URL',
      });
      if (!value?.trim()) return undefined;
      config = type.type === 'local' ? { type: 'local', command: value.trim().split(/\s+/) } : { type: 'remote', url: value.trim() };
    }
    const parsed = McpConfig.parse(config);
    const status = await this.session.api.agent(projectId, 'POST', '/mcp', AgentMcpStatus, { name, config: parsed });
    // Kept in the workspace's opencode.json too, so the server is there again after a restart.
    await this.updateConfig(projectId, name, { ...parsed, enabled: true });
    this.changed.fire();
    const state = status[name];
    if (state && state.status !== 'connected') void vscode.window.showWarningMessage(`Hangar: MCP server ${name} is ${state.status.replace(/_/g, ' ')}${state.error ? `: ${state.error}` : ''}.`);
    return status;
  }

  async removeMcp(a?: TreeArg<McpServerArgs>): Promise<boolean> {
    const arg = mcpArg(a);
    if (!arg) return false;
    await this.session.api.agent(arg.projectId, 'POST', `/mcp/${encodeURIComponent(arg.name)}/disconnect`, { parse: () => undefined }, {})
      .catch((e: unknown) => this.log.warn(`disconnecting MCP server ${arg.name}: ${e instanceof Error ? e.message : String(e)}`));
    await this.updateConfig(arg.projectId, arg.name, undefined);
    this.changed.fire();
    return true;
  }

  async mcpAction(a: TreeArg<McpServerArgs>, action: 'connect' | 'disconnect'): Promise<void> {
    const arg = mcpArg(a);
    if (!arg) return;
    await this.session.api.agent(arg.projectId, 'POST', `/mcp/${encodeURIComponent(arg.name)}/${action}`, { parse: () => undefined }, {});
    this.changed.fire();
  }

  private async updateConfig(projectId: string, name: string, server: unknown): Promise<void> {
    let text: string | undefined;
    try {
      text = new TextDecoder().decode(await this.fs.readFile(projectId, OPENCODE_JSON));
    } catch (e) {
      if (toFsError(e).kind !== 'FileNotFound') throw toFsError(e);
    }
    const next = withMcpServer(text, name, server);
    await this.fs.writeFile(projectId, OPENCODE_JSON, new TextEncoder().encode(next), { create: true, overwrite: true });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function mcpArg(a: TreeArg<McpServerArgs>): McpServerArgs | undefined {
  if (a instanceof AgentTreeItem) return a.node.kind === 'mcp' ? { projectId: a.node.projectId, name: a.node.name } : undefined;
  return a && 'name' in a && typeof a.name === 'string' ? { projectId: a.projectId, name: a.name } : undefined;
}

function fileOf(n: AgentNode): { projectId: string; path: string } | { projectId: string } {
  return n.kind === 'file' ? { projectId: n.projectId, path: n.path } : { projectId: n.projectId };
}
