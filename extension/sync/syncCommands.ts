import type { CommandHandlers } from '../core/commandRegistry';
import { fetch, pull, push, retryImport } from './syncActions';
import { openConflicts, openOnGithub, showCommits, syncMenu } from './syncBrowse';
import { syncContext, type SyncCommandDeps } from './syncContext';

type Handlers = Pick<CommandHandlers,
  | 'hangar.push' | 'hangar.pull' | 'hangar.fetch' | 'hangar.forcePush' | 'hangar.showCommits' | 'hangar.openOnGithub'
  | 'hangar.openConflicts' | 'hangar.syncMenu' | 'hangar.retryImport'>;

/** The sync commands: each one a small function of the shared context (syncActions, syncBrowse). */
export function syncCommands(d: SyncCommandDeps): Handlers {
  const c = syncContext(d);
  return {
    'hangar.push': (args) => push(c, args, false),
    'hangar.forcePush': (args) => push(c, args, true),
    'hangar.pull': (args) => pull(c, args),
    'hangar.fetch': (args) => fetch(c, args),
    'hangar.retryImport': (args) => retryImport(c, args),
    'hangar.showCommits': (args) => showCommits(c, args),
    'hangar.openOnGithub': (args) => openOnGithub(c, args),
    'hangar.openConflicts': (args) => openConflicts(c, args),
    'hangar.syncMenu': (args) => syncMenu(c, args),
  };
}
