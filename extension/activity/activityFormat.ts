import type { ActivitySession, ActivityStatus, NotificationKind } from '../../backend/contract';
import { sessionTitleText } from '../../webviews/shared/units';

/** Codicon per status; `loading~spin` is VS Code's spinning icon. */
export const STATUS_ICONS: Record<ActivityStatus, { id: string; color?: string }> = {
  idle: { id: 'circle-outline' },
  running: { id: 'loading~spin' },
  waiting_for_permission: { id: 'bell-dot', color: 'list.warningForeground' },
  complete: { id: 'pass', color: 'testing.iconPassed' },
  error: { id: 'error', color: 'list.errorForeground' },
};

const STATUS_TEXT: Record<ActivityStatus, string> = {
  idle: 'not started',
  running: 'running',
  waiting_for_permission: 'needs approval',
  complete: 'complete',
  error: 'failed',
};

/** 0:42, 12:05, 1:02:03 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Busy time so far: the stored total plus the current run, if one is going on. */
export function liveDuration(s: ActivitySession, now: number): number {
  return s.durationMs + (s.runningSince ? Math.max(0, now - Date.parse(s.runningSince)) : 0);
}

export interface ActivityRowModel {
  /** Never contains changing values (VS Code keys tree state by it). */
  id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: { id: string; color?: string };
  contextValue: string;
}

/** A turn the user stopped ends "complete" with error "aborted" (backend/activity/reducer.ts): it is not a success. */
const ABORTED_ICON = { id: 'circle-slash', color: 'list.warningForeground' };

function aborted(s: ActivitySession): boolean {
  return s.status === 'complete' && s.error === 'aborted';
}

export function activityRow(s: ActivitySession, now: number): ActivityRowModel {
  const title = sessionTitleText(s.title);
  const statusText = aborted(s) ? 'aborted' : STATUS_TEXT[s.status];
  const parts = [s.projectName, statusText];
  const duration = liveDuration(s, now);
  if (duration > 0 || s.status === 'running') parts.push(formatDuration(duration));
  const tooltip = [
    `${title}${s.parentSessionId ? ' (subagent)' : ''}`,
    `Project: ${s.projectName}`,
    `Status: ${statusText}${s.error && !aborted(s) ? ` — ${s.error}` : ''}`,
    `Running time: ${formatDuration(duration)}`,
    ...(s.filesChanged !== null ? [`Files changed: ${s.filesChanged}`] : []),
    ...(s.excerpt ? ['', s.excerpt] : []),
  ].join('\n');
  return {
    id: `activity:${s.projectId}:${s.sessionId}`,
    label: s.parentSessionId ? `↳ ${title}` : title,
    description: parts.join(' · '),
    tooltip,
    icon: aborted(s) ? ABORTED_ICON : STATUS_ICONS[s.status],
    contextValue: `activity.${s.status}`,
  };
}

export const NOTIFICATION_LEVEL: Record<NotificationKind, 'info' | 'warning' | 'error'> = {
  done: 'info',
  'needs-approval': 'warning',
  failed: 'error',
};

/** The agent state as the Projects tree words it. */
export const AGENT_STATE_TEXT: Record<'idle' | 'busy' | 'needs-approval' | 'error', string> = {
  idle: 'agent idle',
  busy: 'agent busy',
  'needs-approval': 'agent needs approval',
  error: 'agent error',
};
