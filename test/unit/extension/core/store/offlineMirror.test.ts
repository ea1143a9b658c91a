import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../../extension/connection/connectionState';
import { statusBarModel } from '../../../../../extension/connection/connectionState';
import { HangarStore } from '../../../../../extension/core/hangarStore';
import { LocalStore } from '../../../../../extension/core/store/localStore';
import { mirrorToOfflineStore } from '../../../../../extension/core/store/offlineMirror';
import { realTimers } from '../../../../../extension/core/timers';
import { aProject, aTier } from '../../builders';

const URL = 'https://hangar.example';
const me = { id: 'u', username: 'alice', role: 'user' } as never;

function fakeSession(state: ConnectionState) {
  const listeners = new Set<(s: ConnectionState) => void>();
  const s = {
    store: new HangarStore(),
    state,
    onDidChangeState: (l: (s: ConnectionState) => void) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; },
    set(next: ConnectionState) { s.state = next; for (const l of listeners) l(next); },
  };
  return s;
}

function memoryStore() {
  const file = { text: undefined as string | undefined, read: async () => file.text, write: async (t: string | readonly string[]) => { file.text = typeof t === 'string' ? t : t.join(''); }, quarantine: async () => {} };
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const make = () => new LocalStore({ file, log: quiet, timers: realTimers, limits: () => ({ maxBytes: 1e7, transcriptsPerProject: 5, maxAgeMs: 1e12 }) });
  return { file, make };
}

describe('offline mirror (issue #14)', () => {
  it('keeps what the server said, and a window opened while the API is down shows it with its age', async () => {
    const disk = memoryStore();
    const online = fakeSession({ kind: 'connected', url: URL, user: me, version: '1' });
    const first = disk.make();
    await first.load();
    const mirror = mirrorToOfflineStore(online, first);
    const fetchedAt = Date.now() - 5 * 60_000;
    online.store.finishLoad({ projects: [aProject({ id: 'p1', name: 'alpha', status: 'running' })], tiers: [aTier({ isDefault: true })] }, fetchedAt);
    await first.flush();
    mirror.dispose();

    // A new window: the API is down.
    const offline = fakeSession({ kind: 'connecting', url: URL, reconnecting: false });
    const second = disk.make();
    void second.load();
    mirrorToOfflineStore(offline, second);
    offline.set({ kind: 'offline', url: URL, reason: 'ECONNREFUSED', retryInMs: 1000 });
    await second.ready;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(offline.store.projects.map((p) => [p.id, p.status]), [['p1', 'running']]);
    assert.equal(offline.store.tiers.length, 1);
    const load = offline.store.projectsLoad;
    assert.ok(load.kind === 'loaded' && load.at === fetchedAt);
    assert.equal(statusBarModel(offline.state, fetchedAt).text, '$(debug-disconnect) Hangar: offline · data from 5 min ago');
  });

  it('does not overwrite the copy while offline, and does not fill from it once the server answered', async () => {
    const disk = memoryStore();
    const s = fakeSession({ kind: 'offline', url: URL, reason: 'down', retryInMs: undefined });
    const local = disk.make();
    await local.load();
    local.putList(URL, 'projects', [aProject({ id: 'cached' })], 1);
    mirrorToOfflineStore(s, local);
    await new Promise((r) => setImmediate(r));
    s.store.finishLoad({ projects: [], tiers: [] }, 2); // e.g. an empty answer while still marked offline
    assert.deepEqual(local.list(URL, 'projects')?.items.map((p) => (p as { id: string }).id), ['cached']);
  });
});
