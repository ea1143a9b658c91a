// "Hangar: Use in Chat" (Explorer, editor context and tab menus, palette) and "Hangar: Copy Path"
// (the path as the project's agent sees it). Thin vscode adapter over mentionTarget.ts.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Mention } from '../../../webviews/protocol/chat';
import type { UseInChatArgs } from '../../core/commandIds';
import type { CommandHandlers } from '../../core/commandRegistry';
import type { HangarSession } from '../../core/hangarSession';
import { pickProject } from '../../projects/projectPicker';
import type { ChatPanels } from '../chatPanel';
import { agentPath, chooseProject, selectionRange } from './mentionTarget';
import { isSafeRelativePath } from './filePart';
import { sameRepository } from './repoIdentity';
import type { WorkspaceFileIndex } from './workspaceFiles';

export class MentionCommands implements vscode.Disposable {
  private lastChat: string | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: HangarSession,
    private readonly panels: ChatPanels,
    private readonly files: WorkspaceFileIndex,
  ) {
    this.subscription = panels.onDidChangeActive(() => {
      const id = panels.activeProjectId();
      if (id) this.lastChat = id;
    });
  }

  dispose(): void { this.subscription.dispose(); }

  handlers(): Pick<CommandHandlers, 'hangar.useInChat' | 'hangar.copyAgentPath'> {
    return {
      'hangar.useInChat': (arg, all) => this.useInChat(arg, all),
      'hangar.copyAgentPath': (arg) => this.copyPath(arg),
    };
  }

  /** Opens (or reveals) the chat and puts the file (with the editor's selection as the range) into its composer. */
  async useInChat(arg?: UseInChatArgs | vscode.Uri, all?: vscode.Uri[]): Promise<boolean> {
    const mentions = this.mentionsOf(arg, all);
    if (mentions.length === 0) {
      void vscode.window.showInformationMessage(
        'Hangar: open a file of the workspace (or pick one in the Explorer) to use it in the chat.',
      );
      return false;
    }
    const projectId = await this.project(arg, 'Use in Chat');
    if (!projectId) return false;
    for (const m of mentions) this.panels.insertMention(projectId, m);
    return true;
  }

  /** Copies the path as the agent sees it (see agentPath); returns it. */
  async copyPath(arg?: UseInChatArgs | vscode.Uri): Promise<string | undefined> {
    const [m] = this.mentionsOf(arg, undefined);
    if (!m) {
      void vscode.window.showInformationMessage(
        'Hangar: open a file of the workspace to copy its path as the agent sees it.',
      );
      return undefined;
    }
    const projectId = await this.project(arg, 'Copy Path');
    if (!projectId) return undefined;
    const dir = await this.containerDir(projectId);
    const text = agentPath(m, dir);
    await vscode.env.clipboard.writeText(text);
    const inline = ' (the agent\'s container does not hold this repository: the file is sent inline under this name)';
    vscode.window.setStatusBarMessage(`Hangar: copied ${text}${dir ? '' : inline}`, 5000);
    return text;
  }

  private mentionsOf(arg: UseInChatArgs | vscode.Uri | undefined, all: vscode.Uri[] | undefined): Mention[] {
    if (arg && !(arg instanceof vscode.Uri) && typeof arg.path === 'string') {
      return isSafeRelativePath(arg.path) ? [{ path: arg.path, ...(arg.range ? { range: arg.range } : {}) }] : [];
    }
    const editor = vscode.window.activeTextEditor;
    const uris = all && all.length > 1 ? all : arg instanceof vscode.Uri ? [arg] : editor ? [editor.document.uri] : [];
    return uris.flatMap((uri) => {
      const path = this.files.relativePath(uri);
      if (!path) return [];
      const fromEditor = editor && editor.document.uri.toString() === uri.toString() && uris.length === 1;
      const range = fromEditor ? selectionRange(editor.selection) : undefined;
      return [{ path, ...(range ? { range } : {}) }];
    });
  }

  private async project(arg: UseInChatArgs | vscode.Uri | undefined, title: string): Promise<string | undefined> {
    const explicit = arg && !(arg instanceof vscode.Uri) ? arg.projectId : undefined;
    const choice = chooseProject({
      ...(explicit ? { explicit } : {}),
      ...(this.panels.activeProjectId() ? { activeChat: this.panels.activeProjectId()! } : {}),
      ...(this.lastChat ? { lastChat: this.lastChat } : {}),
      openChats: this.panels.openProjectIds(),
      projects: this.session.store.projects,
    });
    if (choice !== 'ask') return choice;
    return (await pickProject(this.session, {
      title, placeHolder: 'The project whose agent gets the file',
      sort: (a, b) => Number(b.status === 'running') - Number(a.status === 'running'),
    }))?.id;
  }

  /** The container's workspace folder when it holds the same repository as this workspace and runs. */
  private async containerDir(projectId: string): Promise<string | undefined> {
    const project = this.session.store.project(projectId);
    if (!project || project.status !== 'running') return undefined;
    if (!sameRepository(project.repository?.url, await this.files.remotes())) return undefined;
    try {
      const Sessions = z.array(z.object({ directory: z.string().optional() }).passthrough());
      const sessions = await this.session.api.agent(projectId, 'GET', '/session', Sessions);
      return sessions.find((s) => s.directory?.startsWith('/'))?.directory;
    } catch {
      return undefined;
    }
  }
}
