import type { OpenChatArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import type { ChatPanels } from './chatPanel';
import type { HangarSession } from '../core/hangarSession';
import { pickProject, projectIdOf } from '../projects/projectPicker';

type Handlers = Pick<CommandHandlers, 'hangar.openChat'>;

export function chatCommands(session: HangarSession, panels: ChatPanels): Handlers {
  return {
    /** From the palette (quick pick), a running project's context menu (the row) or code (`{id}`). */
    'hangar.openChat': async (arg?: OpenChatArgs | ProjectRowArg) => {
      const id = projectIdOf(arg) ?? (await pickProject(session, {
        title: 'Open Chat',
        placeHolder: 'The project whose agent to chat with',
        sort: (a, b) => Number(b.status === 'running') - Number(a.status === 'running'),
      }))?.id;
      if (!id) return false;
      panels.show(id, arg && 'sessionId' in arg && typeof arg.sessionId === 'string' ? arg.sessionId : undefined);
      return true;
    },
  };
}
