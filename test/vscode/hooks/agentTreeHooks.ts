// hangar.internal.agentTree: the Projects view's Agent subtree as the view shows it (read through the
// view's own TreeDataProvider), and a node's menu command run the way VS Code runs it (the tree item
// as the argument). Test code, never shipped.
import * as vscode from 'vscode';
import type { ProjectsFeature } from '../../../extension/projects/projectsFeature';

export interface AgentTreeRow { label: string; description?: string; contextValue?: string; click?: string }
export interface AgentTreeArgs {
  projectId: string;
  /** labels from the project row down (e.g. ['Agent', 'Commands']) */
  path: string[];
  /** a menu command to run on the node at `path` ('click' runs the row's own command, as a click does) */
  run?: string;
}

const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

export async function agentTree(projects: ProjectsFeature, args: AgentTreeArgs): Promise<AgentTreeRow[] | { result: unknown }> {
  const tree = projects.projectsTree;
  let node: vscode.TreeItem | undefined = tree.getChildren().find((r) => (r as { projectId?: string }).projectId === args.projectId);
  if (!node) throw new Error(`no project row ${args.projectId}`);
  for (const label of args.path) {
    const children: vscode.TreeItem[] = await tree.getChildren(node);
    node = children.find((c) => labelOf(c) === label);
    if (!node) throw new Error(`no "${label}" among ${children.map(labelOf).join(', ')}`);
  }
  if (args.run === 'click') {
    const c = node.command;
    if (!c) throw new Error(`"${labelOf(node)}" has no click command`);
    return { result: await vscode.commands.executeCommand(c.command, ...(c.arguments ?? [])) };
  }
  if (args.run) return { result: await vscode.commands.executeCommand(args.run, node) };
  const children: vscode.TreeItem[] = await tree.getChildren(node);
  return children.map((c) => ({
    label: labelOf(c),
    ...(typeof c.description === 'string' ? { description: c.description } : {}),
    ...(c.contextValue ? { contextValue: c.contextValue } : {}),
    ...(c.command ? { click: c.command.command } : {}),
  }));
}
