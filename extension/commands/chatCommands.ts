import * as vscode from 'vscode';
import type { OpenChatArgs, ProjectRowArg } from '../commandIds';
import type { CommandHandlers } from '../commandRegistry';
import type { ChatInternalArgs, ChatPanels } from '../chat/chatPanel';
import type { HangarSession } from '../hangarSession';
import { statusLabel } from '../treeModel';

type Handlers = Pick<CommandHandlers, 'hangar.openChat' | 'hangar.internal.chat'>;

export function chatCommands(session: HangarSession, panels: ChatPanels): Handlers {
  async function pickProjectId(): Promise<string | undefined> {
    const projects = session.store.projects.length ? session.store.projects : await session.api.projects();
    if (!projects.length) {
      void vscode.window.showInformationMessage('Hangar: there are no projects yet.', 'Create Project')
        .then((a) => a && vscode.commands.executeCommand('hangar.createProject'));
      return undefined;
    }
    const sorted = [...projects].sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running'));
    const picked = await vscode.window.showQuickPick(
      sorted.map((p) => ({ label: p.name, description: `${p.tierId} · ${statusLabel(p.status)}`, id: p.id })),
      { title: 'Open Chat', placeHolder: 'The project whose agent to chat with', matchOnDescription: true },
    );
    return picked?.id;
  }

  return {
    /** From the palette (quick pick), a running project's context menu (the row) or code (`{id}`). */
    'hangar.openChat': async (arg?: OpenChatArgs | ProjectRowArg) => {
      const fromArg = arg && 'projectId' in arg ? arg.projectId : arg?.id;
      const id = fromArg ?? await pickProjectId();
      if (!id) return false;
      panels.show(id);
      return true;
    },
    /** Hidden: the panel's probe, or (with `inject`) a webview request run through the host. */
    'hangar.internal.chat': (args: ChatInternalArgs) => panels.internal(args),
  };
}
