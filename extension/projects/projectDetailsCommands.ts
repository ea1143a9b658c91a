import type { OpenProjectDetailsArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { ProjectPanelProbe } from './projectDetailsPanel';
import { pickProject, projectIdOf } from './projectPicker';
import type { Services } from '../core/services';

type Handlers = Pick<CommandHandlers, 'hangar.openProjectDetails' | 'hangar.internal.projectPanel'>;

export function projectDetailsCommands(s: Services): Handlers {
  const { session } = s;

  return {
    /** From the palette (quick pick), a tree row's context menu (the row) or code (`{id}`). */
    'hangar.openProjectDetails': async (arg?: OpenProjectDetailsArgs | ProjectRowArg) => {
      const id = projectIdOf(arg)
        ?? (await pickProject(session, { title: 'Open Project Details', placeHolder: 'The project to show' }))?.id;
      if (!id) return false;
      s.projectPanels.show(id);
      return true;
    },
    /** Hidden: what the in-VS-Code suite checks (the state last posted, whether `ready` arrived). */
    'hangar.internal.projectPanel': (projectId: string): ProjectPanelProbe | undefined => s.projectPanels.probe(projectId),
  };
}
