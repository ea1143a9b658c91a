// When to ask for the next ticket after a drop: quickly at first, then backing off. Plain logic, no DOM.

export const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000] as const;

/** Reconnects after a drop before the panel stops and says why (with "Try again"): about 16 s of backoff. */
export const MAX_RECONNECTS = BACKOFF_MS.length;

/** The panel's words once the retries are spent: the last reason and what to do. */
export function gaveUpMessage(attempts: number, last: string | undefined): string {
  const why = last ? ` Last: ${last.replace(/;? ?(retrying|reconnecting) with a new ticket\.?$/, '.')}` : '';
  return `The desktop did not come back after ${attempts} attempts.${why} Try again, or restart the project if it stays away.`;
}

/** The delay before reconnect attempt `failures` (0 = the first retry after a drop). */
export function reconnectDelay(failures: number): number {
  return BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
}

/** Why noVNC's "disconnect" event fired, in words, from its `clean` flag and what we were doing. */
export function dropMessage(clean: boolean, wasConnected: boolean): string {
  if (!wasConnected) return 'Could not connect to the desktop; retrying with a new ticket.';
  return clean ? 'The desktop connection closed; reconnecting with a new ticket.' : 'The desktop connection dropped; reconnecting with a new ticket.';
}
