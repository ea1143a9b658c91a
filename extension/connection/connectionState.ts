import type { Me } from '../../backend/contract';

/** Where the extension stands with its server. One value at a time; transitions in `nextState`. */
export type ConnectionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; url: string; reconnecting: boolean }
  | { kind: 'connected'; url: string; user: Me; version: string | undefined }
  | { kind: 'offline'; url: string; reason: string; retryInMs: number | undefined }
  | { kind: 'unauthorised'; url: string; message: string };

export type ConnectionEvent =
  | { type: 'connect'; url: string }
  | { type: 'authenticated'; user: Me; version: string | undefined }
  | { type: 'streamLost' }
  | { type: 'unreachable'; reason: string; retryInMs?: number }
  | { type: 'rejected'; message: string }
  | { type: 'disconnect' };

/** The pure transition function; events that make no sense in a state leave it unchanged. */
export function nextState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connect':
      return { kind: 'connecting', url: event.url, reconnecting: false };
    case 'disconnect':
      return { kind: 'disconnected' };
    case 'authenticated':
      if (state.kind === 'disconnected') return state;
      return { kind: 'connected', url: state.url, user: event.user, version: event.version };
    case 'streamLost':
      if (state.kind !== 'connected') return state;
      return { kind: 'connecting', url: state.url, reconnecting: true };
    case 'unreachable':
      if (state.kind === 'disconnected' || state.kind === 'unauthorised') return state;
      return { kind: 'offline', url: state.url, reason: event.reason, retryInMs: event.retryInMs };
    case 'rejected':
      if (state.kind === 'disconnected') return state;
      return { kind: 'unauthorised', url: state.url, message: event.message };
  }
}

export function userLabel(user: Me): string {
  return user.role === 'admin' ? `${user.username} (admin)` : user.username;
}

export interface StatusBarModel {
  text: string;
  tooltip: string;
  command: 'hangar.connect' | 'hangar.testConnection' | 'hangar.showLog';
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how old the data shown offline is. */
export function dataAge(at: number, now: number): string {
  const min = Math.floor(Math.max(0, now - at) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
}

/** `dataAt`: when the data the views show was fetched (offline, from the offline store). */
export function statusBarModel(state: ConnectionState, dataAt?: number, now: number = Date.now()): StatusBarModel {
  switch (state.kind) {
    case 'connected':
      return {
        text: '$(server) Hangar',
        tooltip: `Connected to ${state.url} as ${userLabel(state.user)}${state.version ? ` (server ${state.version})` : ''}`,
        command: 'hangar.testConnection',
      };
    case 'connecting':
      return {
        text: '$(sync~spin) Hangar',
        tooltip: state.reconnecting ? `Reconnecting to ${state.url}…` : `Connecting to ${state.url}…`,
        command: 'hangar.showLog',
      };
    case 'offline':
      return {
        text: `$(debug-disconnect) Hangar: offline${dataAt !== undefined ? ` · data from ${dataAge(dataAt, now)}` : ''}`,
        tooltip: `Cannot reach ${state.url}: ${state.reason}.${state.retryInMs !== undefined ? ` Retrying in ${Math.ceil(state.retryInMs / 1000)} s.` : ''} Click to test the connection now.`,
        command: 'hangar.testConnection',
      };
    case 'unauthorised':
      return {
        text: '$(lock) Hangar: unauthorised',
        tooltip: `${state.url} refused the token (${state.message}). Click to enter a new token.`,
        command: 'hangar.connect',
      };
    case 'disconnected':
      return { text: '$(plug) Hangar: not connected', tooltip: 'Not connected to a Hangar server. Click to connect.', command: 'hangar.connect' };
  }
}
