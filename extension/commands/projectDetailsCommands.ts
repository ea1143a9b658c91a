import * as vscode from 'vscode';
import type { OpenProjectDetailsArgs, ProjectRowArg } from '../commandIds';
import type { CommandHandlers } from '../commandRegistry';
import type { ProjectPanelProbe } from '../panels/projectDetailsPanel';
import { statusLabel } from '../treeModel';
import type { Services } from './services';

type Handlers = Pick<CommandHandlers, 'hangar.openProjectDetails' | 'hangar.internal.projectPanel'>;

export function projectDetailsCommands(s: Services): Handlers {
  const { session } = s;

  async function pickProjectId(): Promise<string | undefined> {
    const projects = session.store.projects.length ? session.store.projects : await session.api.projects();
    if (!projects.length) {
      void vscode.window.showInformationMessage('Hangar: there are no projects yet.', 'Create Project')
        .then((a) => a && vscode.commands.executeCommand('hangar.createProject'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      projects.map((p) => ({ label: p.name, description: `${p.tierId} · ${statusLabel(p.status)}`, id: p.id })),
      { title: 'Open Project Details', placeHolder: 'The project to show', matchOnDescription: true },
    );
    return picked?.id;
  }

  return {
    /** From the palette (quick pick), a tree row's context menu (the row) or code (`{id}`). */
    'hangar.openProjectDetails': async (arg?: OpenProjectDetailsArgs | ProjectRowArg) => {
      const fromArg = arg && 'projectId' in arg ? arg.projectId : arg?.id;
      const id = fromArg ?? await pickProjectId();
      if (!id) return false;
      s.projectPanels.show(id);
      return true;
    },
    /** Hidden: what the in-VS-Code suite checks (the state last posted, whether `ready` arrived). */
    'hangar.internal.projectPanel': (projectId: string): ProjectPanelProbe | undefined => s.projectPanels.probe(projectId),
  };
}
