import { Project, Tier } from '../../../backend/contract';
import type { ConnectionState } from '../../connection/connectionState';
import type { HangarStore } from '../hangarStore';
import type { Disposable } from '../ports';
import type { LocalStore } from './localStore';

export interface MirroredSession {
  readonly store: HangarStore;
  readonly state: ConnectionState;
  onDidChangeState(listener: (s: ConnectionState) => void): Disposable;
}

/**
 * Keeps the offline store's projects and tiers equal to what the server last said, and, when the
 * server cannot be reached and nothing was loaded (a window opened while the API is down), fills the
 * in-memory store from the offline copy with the time it was fetched, so trees show it with its age.
 * Items that no longer fit the contract are dropped, not shown.
 */
export function mirrorToOfflineStore(session: MirroredSession, local: LocalStore): Disposable {
  const urlOf = (s: ConnectionState) => (s.kind === 'disconnected' ? undefined : s.url);
  const save = () => {
    const url = urlOf(session.state);
    if (!url || session.state.kind !== 'connected') return;
    const { projectsLoad, tiersLoad } = session.store;
    if (projectsLoad.kind === 'loaded') local.putList(url, 'projects', session.store.projects, projectsLoad.at);
    if (tiersLoad.kind === 'loaded') local.putList(url, 'tiers', session.store.tiers, tiersLoad.at);
  };
  const restore = async (state: ConnectionState) => {
    const url = urlOf(state);
    if (!url || state.kind === 'connected' || state.kind === 'unauthorised') return;
    await local.listsReady;
    if (session.store.projectsLoad.kind === 'loaded' || session.state.kind === 'connected') return;
    const projects = local.list(url, 'projects');
    const tiers = local.list(url, 'tiers');
    if (!projects) return;
    session.store.finishLoad({
      projects: parsed(projects.items, Project),
      tiers: tiers ? parsed(tiers.items, Tier) : { error: 'not cached' },
    }, projects.at);
  };
  const subs = [
    session.store.onDidChange(save),
    session.onDidChangeState((s) => void restore(s)),
  ];
  void restore(session.state);
  return { dispose: () => { for (const s of subs) s.dispose(); } };
}

function parsed<T>(items: readonly unknown[], schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T[] {
  const out: T[] = [];
  for (const i of items) {
    const r = schema.safeParse(i);
    if (r.success) out.push(r.data);
  }
  return out;
}
