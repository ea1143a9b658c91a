import * as vscode from 'vscode';
import { KIND_DIRS } from './agentTemplates';
import { contextValueOf, nodeId, type AgentNode } from './agentTreeModel';
import { hangarUri } from './hangarFileSystem';

const MCP_ICONS: Record<string, [string, string | undefined]> = {
  connected: ['plug', 'testing.iconPassed'], disabled: ['debug-disconnect', undefined],
  failed: ['error', 'testing.iconFailed'],
  needs_auth: ['key', 'editorWarning.foreground'], needs_client_registration: ['key', 'editorWarning.foreground'],
};

/** One node of a project's Agent subtree; `projectId` lets the menus' commands find their project. */
export class AgentTreeItem extends vscode.TreeItem {
  readonly projectId: string;

  constructor(readonly node: AgentNode) {
    super(labelOf(node), node.kind === 'root' || node.kind === 'group' || node.kind === 'mcpGroup'
      ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.projectId = node.projectId;
    this.id = nodeId(node);
    this.contextValue = contextValueOf(node);
    switch (node.kind) {
      case 'root':
        this.iconPath = new vscode.ThemeIcon('hubot');
        this.tooltip = 'The agent\'s own files (AGENTS.md, opencode.json, .opencode/…) and MCP servers';
        break;
      case 'file':
        this.resourceUri = hangarUri(node.projectId, node.path);
        if (node.exists) {
          this.command = {
            command: 'hangar.agentFiles.open', title: 'Open',
            arguments: [{ projectId: node.projectId, path: node.path }],
          };
        } else {
          this.description = 'not created yet';
          this.command = {
            command: 'hangar.agentFiles.new', title: 'Create',
            arguments: [{ projectId: node.projectId, kind: 'agentsMd' }],
          };
          if (node.template !== 'agentsMd') this.command = undefined;
        }
        break;
      case 'group':
        this.iconPath = new vscode.ThemeIcon('folder');
        this.description = KIND_DIRS[node.fileKind].dir;
        break;
      case 'mcpGroup':
        this.iconPath = new vscode.ThemeIcon('server-environment');
        break;
      case 'mcp': {
        const [icon, color] = MCP_ICONS[node.status] ?? ['question', undefined];
        this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        this.description = node.status.replace(/_/g, ' ');
        if (node.error) this.tooltip = node.error;
        break;
      }
      case 'message':
        this.iconPath = new vscode.ThemeIcon('info');
        break;
    }
  }
}

function labelOf(n: AgentNode): string {
  switch (n.kind) {
    case 'root': return 'Agent';
    case 'file': return n.label;
    case 'group': return KIND_DIRS[n.fileKind].label;
    case 'mcpGroup': return 'MCP Servers';
    case 'mcp': return n.name;
    case 'message': return n.text;
  }
}
