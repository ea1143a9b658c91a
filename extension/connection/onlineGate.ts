import type { CommandId } from '../core/commandIds';
import type { ConnectionState } from './connectionState';

/**
 * Commands that only the server can carry out (issue #14). While offline their menu entries are hidden
 * by the `hangar.online` context key; one invoked anyway (palette history, a keybinding) says why at
 * once, before any wizard, and probes the server (the user wants it now).
 */
export const NETWORK_ONLY_COMMANDS = [
  'hangar.createProject', 'hangar.deleteProject',
  'hangar.deployContainer', 'hangar.forceDeployContainer', 'hangar.retryDeploy',
  'hangar.restartContainer',
  'hangar.push', 'hangar.pull', 'hangar.fetch',
] as const satisfies readonly CommandId[];

/**
 * Start and Stop stay offered offline: invoked then, they wait in the outbox (projects/queuedActions.ts),
 * marked on the row, and are sent by themselves, once, when the server answers.
 */
export const QUEUED_OFFLINE_COMMANDS = [
  'hangar.startContainer', 'hangar.stopContainer',
] as const satisfies readonly CommandId[];

const networkOnly: ReadonlySet<string> = new Set(NETWORK_ONLY_COMMANDS);

export const isNetworkOnly = (id: CommandId): boolean => networkOnly.has(id);

/** The `hangar.online` context key: the server answers now. */
export const isOnline = (state: ConnectionState): boolean => state.kind === 'connected';

/** Why a network-only command cannot run now; undefined when it can (or when "not connected" says it better). */
export function offlineMessage(state: ConnectionState): string | undefined {
  if (state.kind !== 'offline') return undefined;
  return `Hangar is offline: ${state.url} cannot be reached (${state.reason}). This needs the server; `
    + 'it is enabled again as soon as the server answers. Prompts you write in a chat, and Start or Stop, '
    + 'are kept and sent then.';
}
