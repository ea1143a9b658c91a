import type { OpenDesktopArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { DesktopPanels } from './desktopPanel';
import { isDesktopTier } from './desktopModel';
import type { HangarSession } from '../core/hangarSession';
import { pickProject, projectIdOf } from '../projects/projectPicker';

type Handlers = Pick<CommandHandlers, 'hangar.openDesktop'>;

export function desktopCommands(session: HangarSession, panels: DesktopPanels): Handlers {
  return {
    /** From a desktop-tier project's row, the chat panel's button, the palette (quick pick) or code (`{id}`). */
    'hangar.openDesktop': async (arg?: OpenDesktopArgs | ProjectRowArg) => {
      const id = projectIdOf(arg) ?? (await pickProject(session, {
        title: 'Open Desktop',
        placeHolder: 'The desktop-tier project whose screen to open',
        filter: (p) => isDesktopTier(session.store.tier(p.tierId)),
        sort: (a, b) => Number(b.status === 'running') - Number(a.status === 'running'),
        none: 'no project is on a desktop tier; create one on the "desktop" tier to get a screen',
      }))?.id;
      if (!id) return false;
      panels.show(id);
      return true;
    },
  };
}
