/**
 * `hangar.notifications.quietHours`: "22:00-07:00" (may cross midnight), local time. During quiet
 * hours notifications are collected silently and summed up once they end. Plain module.
 */
export interface QuietHours {
  /** Minutes after midnight. */
  start: number;
  end: number;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** undefined for "" (off); an error string for anything that is not HH:MM-HH:MM. */
export function parseQuietHours(value: string | undefined): QuietHours | undefined | { error: string } {
  const v = (value ?? '').trim();
  if (!v) return undefined;
  const [a, b, ...rest] = v.split('-').map((x) => x.trim());
  const m1 = a ? TIME.exec(a) : null;
  const m2 = b ? TIME.exec(b) : null;
  if (!m1 || !m2 || rest.length) return { error: `"${v}" is not a range like 22:00-07:00` };
  const start = Number(m1[1]) * 60 + Number(m1[2]);
  const end = Number(m2[1]) * 60 + Number(m2[2]);
  if (start === end) return { error: `"${v}" starts and ends at the same time` };
  return { start, end };
}

const minutesOf = (d: Date) => d.getHours() * 60 + d.getMinutes();

export function isQuiet(q: QuietHours | undefined, at: Date): boolean {
  if (!q) return false;
  const m = minutesOf(at);
  return q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end;
}

/** Milliseconds from `at` until quiet hours end (0 when not quiet). */
export function msUntilQuietEnds(q: QuietHours | undefined, at: Date): number {
  if (!q || !isQuiet(q, at)) return 0;
  const end = new Date(at);
  end.setHours(Math.floor(q.end / 60), q.end % 60, 0, 0);
  if (end.getTime() <= at.getTime()) end.setDate(end.getDate() + 1);
  return end.getTime() - at.getTime();
}
