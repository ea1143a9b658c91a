import type { ActivityNotification, NotificationKind } from '../../../backend/contract';
import { isQuiet, msUntilQuietEnds, parseQuietHours, type QuietHours } from './quietHours';

/** The `hangar.notifications.*` settings. */
export interface NotifySettings {
  inApp: boolean;
  system: boolean;
  sound: boolean;
  quietHours: string;
}

/**
 * What happened to one notification: raised, held back for quiet hours, not raised because its chat is in front,
 * or all off.
 */
export type Decision = 'shown' | 'held' | 'focused' | 'off';

export type NotificationAction = 'Open Session' | 'Approve' | 'Reject';

/** Where a decision goes: the vscode adapter implements these. */
export interface NotificationSinks {
  inApp(note: ActivityNotification, actions: NotificationAction[]): void;
  system(note: ActivityNotification, sound: boolean): void;
  sound(): void;
  summary(text: string): void;
  /** A bad quietHours value: said once per value. */
  invalidSetting(message: string): void;
}

/**
 * Approve/Reject right in the notification only for a simple request whose whole content the
 * notification shows (a few short patterns), and only ever "once": anything else opens the session.
 */
export function approvalOffered(note: ActivityNotification): boolean {
  const p = note.permission;
  return note.kind === 'needs-approval' && !!p && p.patterns.length > 0 && p.patterns.length <= 3
    && p.patterns.every((x) => x.length <= 200);
}

const KIND_WORDS: Record<NotificationKind, [string, string]> = {
  done: ['finished', 'finished'],
  failed: ['failed', 'failed'],
  'needs-approval': ['needs approval', 'need approval'],
};

/** "While quiet hours were on: 2 sessions finished, 1 failed." */
export function summaryText(held: ActivityNotification[]): string {
  const counts = new Map<NotificationKind, number>();
  for (const n of held) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const parts = (['done', 'failed', 'needs-approval'] as const).filter((k) => counts.get(k)).map((k) => {
    const n = counts.get(k)!;
    return `${n} ${KIND_WORDS[k][n === 1 ? 0 : 1]}`;
  });
  const notifications = `${held.length} session notification${held.length === 1 ? '' : 's'}`;
  return `While quiet hours were on: ${notifications} (${parts.join(', ')}).`;
}

/**
 * Decides, for each notification, whether and how to raise it, and holds notifications back during
 * quiet hours (a summary follows when they end). No vscode here: settings, clock and sinks are given.
 */
export class NotificationCenter {
  private readonly held: ActivityNotification[] = [];
  private warnedFor: string | undefined;

  constructor(private readonly deps: { settings(): NotifySettings; now(): Date; sinks: NotificationSinks }) {}

  get heldCount(): number {
    return this.held.length;
  }

  offer(note: ActivityNotification, chatFocused: boolean): Decision {
    const s = this.deps.settings();
    if (chatFocused) return 'focused';
    if (!s.inApp && !s.system) return 'off';
    if (isQuiet(this.quietHours(s), this.deps.now())) {
      this.held.push(note);
      if (this.held.length > 500) this.held.shift();
      return 'held';
    }
    this.raise(note, s);
    return 'shown';
  }

  /** Call when quiet hours may have ended (timer, settings change): shows the summary once. */
  flushIfQuietEnded(): boolean {
    if (!this.held.length) return false;
    const s = this.deps.settings();
    if (isQuiet(this.quietHours(s), this.deps.now())) return false;
    const held = this.held.splice(0);
    if (s.inApp || s.system) this.deps.sinks.summary(summaryText(held));
    return true;
  }

  /** When to look again (ms), while something is held; undefined otherwise. */
  msUntilFlush(): number | undefined {
    if (!this.held.length) return undefined;
    return Math.max(1000, msUntilQuietEnds(this.quietHours(this.deps.settings()), this.deps.now()));
  }

  private raise(note: ActivityNotification, s: NotifySettings): void {
    if (s.inApp) {
      this.deps.sinks.inApp(note, ['Open Session', ...(approvalOffered(note) ? ['Approve', 'Reject'] as const : [])]);
    }
    if (s.system) this.deps.sinks.system(note, s.sound);
    else if (s.sound) this.deps.sinks.sound();
  }

  private quietHours(s: NotifySettings): QuietHours | undefined {
    const q = parseQuietHours(s.quietHours);
    if (q && 'error' in q) {
      if (this.warnedFor !== s.quietHours) {
        this.warnedFor = s.quietHours;
        this.deps.sinks.invalidSetting(`hangar.notifications.quietHours: ${q.error}; notifications are not held back.`);
      }
      return undefined;
    }
    return q;
  }
}
