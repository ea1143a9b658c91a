import { dataAge } from '../../connection/connectionState';

/**
 * A row shown from the last known copy while the server cannot be reached: its description ends with
 * the copy's age ("· 5 min ago") and its tooltip (Markdown) starts by saying it is not live. Pure.
 */
export function markStale<R extends { description?: string; tooltip?: string }>(row: R, at: number, now: number): R {
  const age = dataAge(at, now);
  const note = `_Offline: the last known state, from ${age}._`;
  return {
    ...row,
    description: row.description ? `${row.description} · ${age}` : age,
    tooltip: row.tooltip ? `${note}\n\n${row.tooltip}` : note,
  };
}

/** The time the shown copy is from when it must be marked stale (offline with data); undefined otherwise. */
export function staleSince(connection: { kind: string }, at: number | undefined): number | undefined {
  return connection.kind === 'offline' ? at : undefined;
}
