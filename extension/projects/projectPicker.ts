import * as vscode from 'vscode';
import type { Project } from '../../backend/contract';
import type { ProjectRowArg } from '../core/commandIds';
import type { HangarSession } from '../core/hangarSession';
import { statusLabel } from './treeModel';

/** The project id a command was given: a tree row (`projectId`) or code (`{id}`). */
export function projectIdOf(arg?: ProjectRowArg | { id?: string }): string | undefined {
  return arg && 'projectId' in arg ? arg.projectId : arg?.id;
}

export interface PickProjectOptions {
  title: string;
  placeHolder: string;
  /** Only the projects the command suits. */
  filter?: (p: Project) => boolean;
  sort?: (a: Project, b: Project) => number;
  /** Said when nothing fits; without it, "there are no projects yet" with a Create Project button. */
  none?: string;
  /** Show each project's status reason under it. */
  withReason?: boolean;
}

/** The palette's project quick pick, shared by every command that acts on one project. */
export async function pickProject(session: HangarSession, o: PickProjectOptions): Promise<Project | undefined> {
  // The store holds the pages the Projects view loaded; with more on the server, the picker lists them all.
  const all = session.store.projects.length && !session.hasMoreProjects ? session.store.projects : await session.api.projects();
  const fitting = o.filter ? all.filter(o.filter) : [...all];
  if (!fitting.length) {
    if (o.none) void vscode.window.showInformationMessage(`Hangar: ${o.none}.`);
    else {
      void vscode.window.showInformationMessage('Hangar: there are no projects yet.', 'Create Project')
        .then((a) => a && vscode.commands.executeCommand('hangar.createProject'));
    }
    return undefined;
  }
  if (o.sort) fitting.sort(o.sort);
  const picked = await vscode.window.showQuickPick(
    fitting.map((p) => ({
      label: p.name,
      description: `${p.tierId} · ${statusLabel(p.status)}`,
      detail: o.withReason ? p.statusReason ?? undefined : undefined,
      project: p,
    })),
    { title: o.title, placeHolder: o.placeHolder, matchOnDescription: true },
  );
  return picked?.project;
}
