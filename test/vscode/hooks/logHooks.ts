// hangar.internal.containerLogs: what a project's log terminal follows (its follower's state, the lines
// and notices it wrote). Taps the session's logFollower(), through which the terminals follow the logs.
import type { HangarSession } from '../../../extension/core/hangarSession';
import type { LogFollower, LogFollowerState } from '../../../extension/projects/logFollower';
import { pushBounded } from './tap';

export interface LogTerminalProbe {
  /** The terminal opened (its follower started). */
  open: boolean;
  state: LogFollowerState['kind'];
  lines: string[];
  notices: string[];
}

interface Followed { follower: LogFollower; open: boolean; lines: string[]; notices: string[] }

const KEEP = 2_000;

export function logHooks(): {
  tapSession: (session: HangarSession) => void;
  probe: (projectId: string) => LogTerminalProbe | undefined;
} {
  const byProject = new Map<string, Followed>();
  const tapped = new WeakSet<HangarSession>();

  const tapSession = (session: HangarSession): void => {
    if (tapped.has(session)) return;
    tapped.add(session);
    const logFollower = session.logFollower.bind(session);
    session.logFollower = (projectId, handlers) => {
      const lines: string[] = [];
      const notices: string[] = [];
      const follower = logFollower(projectId, {
        ...handlers,
        onLines: (l) => { for (const line of l) pushBounded(lines, line, KEEP); handlers.onLines(l); },
        onNotice: (text) => { notices.push(text); handlers.onNotice(text); },
      });
      const followed: Followed = { follower, open: false, lines, notices };
      const start = follower.start.bind(follower);
      follower.start = () => { followed.open = true; start(); };
      byProject.set(projectId, followed);
      return follower;
    };
  };

  const probe = (projectId: string): LogTerminalProbe | undefined => {
    const f = byProject.get(projectId);
    if (!f) return undefined;
    return { open: f.open, state: f.follower.state.kind, lines: [...f.lines], notices: [...f.notices] };
  };
  return { tapSession, probe };
}
