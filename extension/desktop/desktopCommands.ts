import type { OpenDesktopArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { DesktopInternalArgs, DesktopPanels } from './desktopPanel';
import { isDesktopTier } from './desktopModel';
import type { HangarSession } from '../core/hangarSession';
import { pickProject, projectIdOf } from '../projects/projectPicker';
import { DesktopTestAction } from '../../webviews/protocol/desktop';

type Handlers = Pick<CommandHandlers, 'hangar.openDesktop' | 'hangar.internal.desktop'>;

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
    /** Hidden: the panel's probe, a test action run in its webview, or where its next screenshot goes. */
    'hangar.internal.desktop': (args) => {
      const internal: DesktopInternalArgs = { projectId: args.projectId };
      if (args.test !== undefined) internal.test = DesktopTestAction.parse(args.test);
      if (args.screenshotTo !== undefined) internal.screenshotTo = args.screenshotTo;
      return panels.internal(internal);
    },
  };
}
