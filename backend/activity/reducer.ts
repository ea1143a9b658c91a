import type { ActivityStatus, NotificationKind } from '../contract';

/** What the activity table keeps about one session (the row minus its keys). */
export interface SessionState {
  parentSessionId: string | null;
  title: string;
  status: ActivityStatus;
  startedAt: string;
  updatedAt: string;
  runningSince: string | null;
  busyMs: number;
  excerpt: string | null;
  error: string | null;
  filesChanged: number | null;
  /** Permission requests still unanswered. */
  pending: string[];
}

export interface HookEvent {
  type: string;
  properties: Record<string, unknown>;
  meta: { parentID?: string | null; excerpt?: string | null };
}

export interface Reduction {
  next: SessionState;
  /** Anything a client shows changed (a repeated event changes nothing: that is the de-duplication). */
  changed: boolean;
  notify?: { kind: NotificationKind; detail: string; permission?: { id: string; name: string; patterns: string[] } };
}

type Props = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const obj = (v: unknown): Props | undefined => (v && typeof v === 'object' ? v as Props : undefined);

/** The session an opencode event is about, if any. */
export function sessionIdOf(e: Pick<HookEvent, 'type' | 'properties'>): string | undefined {
  const p = e.properties;
  if (e.type === 'session.created' || e.type === 'session.updated') return str(obj(p.info)?.id);
  return str(p.sessionID);
}

export function newSession(now: string): SessionState {
  return {
    parentSessionId: null, title: '', status: 'idle', startedAt: now, updatedAt: now, runningSince: null,
    busyMs: 0, excerpt: null, error: null, filesChanged: null, pending: [],
  };
}

/**
 * Applies one opencode event to a session. Pure: the caller stores `next` and publishes when
 * `changed`. Notifications fire on transitions only, so `session.idle` right after
 * `session.status {idle}` (opencode sends both) notifies once.
 */
export function reduce(prev: SessionState | undefined, e: HookEvent, now: string): Reduction {
  const base = prev ?? newSession(now);
  const next: SessionState = { ...base, pending: [...base.pending] };
  const p = e.properties;
  if (e.meta.parentID) next.parentSessionId = e.meta.parentID;
  if (e.meta.excerpt) next.excerpt = e.meta.excerpt;
  let notify: Reduction['notify'];

  const setStatus = (status: ActivityStatus) => {
    if (status === next.status) return;
    const wasActive = next.status === 'running' || next.status === 'waiting_for_permission';
    const active = status === 'running' || status === 'waiting_for_permission';
    if (active && !wasActive) next.runningSince = now;
    if (!active && wasActive && next.runningSince) {
      next.busyMs += Math.max(0, Date.parse(now) - Date.parse(next.runningSince));
      next.runningSince = null;
    }
    next.status = status;
  };

  switch (e.type) {
    case 'session.created':
    case 'session.updated': {
      const info = obj(p.info) ?? {};
      const title = str(info.title);
      if (title) next.title = title;
      const parent = str(info.parentID);
      if (parent) next.parentSessionId = parent;
      const created = Number(obj(info.time)?.created);
      if (!prev && Number.isFinite(created) && created > 0) next.startedAt = new Date(created).toISOString();
      const files = Number(obj(info.summary)?.files);
      if (Number.isInteger(files) && files >= 0) next.filesChanged = files;
      break;
    }
    case 'session.status': {
      const type = str(obj(p.status)?.type);
      if (type === 'busy' || type === 'retry') {
        if (next.status !== 'running' && next.status !== 'waiting_for_permission') next.error = null;
        setStatus(next.pending.length ? 'waiting_for_permission' : 'running');
        if (type === 'retry') next.error = `retrying: ${str(obj(p.status)?.message) ?? 'provider error'}`;
      } else if (type === 'idle') {
        notify = finish(next, setStatus);
      }
      break;
    }
    case 'session.idle':
      notify = finish(next, setStatus);
      break;
    case 'session.error': {
      const err = obj(p.error) ?? {};
      const name = str(err.name) ?? 'Error';
      const message = str(obj(err.data)?.message) ?? str(err.message) ?? name;
      // An abort is the user's own doing: the session just stops (idle follows).
      if (name === 'MessageAbortedError') {
        next.error = 'aborted';
        break;
      }
      next.error = message.slice(0, 1000);
      next.pending = [];
      if (next.status !== 'error') {
        setStatus('error');
        notify = { kind: 'failed', detail: `failed: ${next.error}` };
      }
      break;
    }
    case 'permission.asked': {
      const id = str(p.id) ?? `perm-${next.pending.length}`;
      if (!next.pending.includes(id)) next.pending.push(id);
      if (next.status !== 'waiting_for_permission') {
        setStatus('waiting_for_permission');
        const patterns = Array.isArray(p.patterns) ? p.patterns.filter((x): x is string => typeof x === 'string') : [];
        notify = {
          kind: 'needs-approval', detail: `needs approval: ${str(p.permission) ?? 'a tool'}${patterns.length ? ` ${patterns.join(' ')}` : ''}`,
          ...(str(p.id) ? { permission: { id: str(p.id)!, name: str(p.permission) ?? 'a tool', patterns: patterns.slice(0, 10).map((x) => x.slice(0, 500)) } } : {}),
        };
      }
      break;
    }
    case 'permission.replied': {
      const id = str(p.requestID) ?? str(p.permissionID) ?? str(p.id);
      next.pending = id ? next.pending.filter((x) => x !== id) : [];
      if (!next.pending.length && next.status === 'waiting_for_permission') setStatus('running');
      break;
    }
    default:
      break;
  }
  const changed = !prev || visibleChange(base, next);
  if (changed) next.updatedAt = now;
  // A subagent's finish is part of its parent's turn: only the parent says "done".
  if (notify?.kind === 'done' && next.parentSessionId) notify = undefined;
  return { next, changed, notify };
}

function finish(next: SessionState, setStatus: (s: ActivityStatus) => void): Reduction['notify'] {
  next.pending = [];
  if (next.status === 'error' || next.status === 'complete' || next.status === 'idle') return undefined;
  if (next.error === 'aborted' || next.error?.startsWith('retrying:')) next.error = next.error === 'aborted' ? 'aborted' : null;
  setStatus('complete');
  return { kind: 'done', detail: next.error === 'aborted' ? 'was stopped' : 'finished' };
}

function visibleChange(a: SessionState, b: SessionState): boolean {
  return a.status !== b.status || a.title !== b.title || a.parentSessionId !== b.parentSessionId || a.excerpt !== b.excerpt
    || a.error !== b.error || a.filesChanged !== b.filesChanged || a.startedAt !== b.startedAt;
}
