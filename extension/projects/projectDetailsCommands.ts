import type { OpenProjectDetailsArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { pickProject, projectIdOf } from './projectPicker';
import type { Services } from './projectServices';

type Handlers = Pick<CommandHandlers, 'hangar.openProjectDetails'>;

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
  };
}
