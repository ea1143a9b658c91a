import * as vscode from 'vscode';
import type { CommandId, CommandSignatures } from './commandIds';
import type { Logger } from './ports';

export type CommandHandlers = {
  [K in CommandId]: (...args: Parameters<CommandSignatures[K]>) => unknown;
};

/**
 * Registers every command in one place. Each handler is wrapped so an unexpected error is logged and
 * shown once instead of surfacing as VS Code's generic "command failed" toast.
 */
export function registerCommands(
  handlers: CommandHandlers,
  log: Logger,
  report: (commandId: CommandId, error: unknown) => void,
): vscode.Disposable[] {
  return (Object.keys(handlers) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        // The union's parameter lists differ; each handler was typed by its own signature above.
        return await (handlers[id] as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        log.error(`command ${id} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        report(id, e);
        return undefined;
      }
    }));
}
